import { prepareReadModelTables } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';

export const SYSTEM_LIST_SCHEMA = 'integrations';
/** The consumer name the applied positions are kept under, and the list's name in /health/ready. */
export const SYSTEM_LIST_PROJECTION = 'integrations-list';
/** The tables' shape: another in the database is dropped and filled again from the event log. */
const SYSTEM_LIST_SHAPE = 1;

/**
 * One row per complaint an integrating system sent (a citizen's or staff's complaint has none), with
 * what GET /integrations/complaints filters, sorts and answers on, and the folded complaint the next
 * event is folded onto. A system's page is a range of `complaints_page`: its scope, oldest change
 * first, ties by complaint id. Ids compare byte by byte (COLLATE "C"), as the list has always ordered
 * them, whatever the database's collation.
 */
export const systemListDdl = (schema: string): string => `
  CREATE TABLE ${schema}.complaints (
    complaint_id text COLLATE "C" PRIMARY KEY,
    -- integrationScope of the submitter: an instansi's systems share one, a national key has its own
    scope text NOT NULL,
    tracking_id text NOT NULL,
    external_reference text,
    kind text NOT NULL,
    status text NOT NULL,
    -- as the events carry them, for the answer
    received_at text NOT NULL,
    last_change_at_text text NOT NULL,
    -- the same instant, to order and filter on (to the millisecond, as the list has always compared them)
    last_change_at timestamptz NOT NULL,
    last_change_type text NOT NULL,
    stream_version bigint NOT NULL,
    state json NOT NULL
  );
  -- a page, and its count, with a status filter read off the index
  CREATE INDEX complaints_page ON ${schema}.complaints (scope, last_change_at, complaint_id) INCLUDE (status);`;

/** Makes the list's tables; `reset: true` when another shape of them was dropped, to be filled again from the log. */
export async function prepareSystemListTables(db: SqlRunner): Promise<{ reset: boolean }> {
  return prepareReadModelTables(db, { schema: SYSTEM_LIST_SCHEMA, consumer: SYSTEM_LIST_PROJECTION, shape: SYSTEM_LIST_SHAPE, ddl: systemListDdl });
}
