import { prepareReadModelTables } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';

export const PUBLIC_LIST_SCHEMA = 'open311';
/** The consumer name the applied positions are kept under, and the list's name in /health/ready. */
export const PUBLIC_LIST_PROJECTION = 'open311-list';
/** The tables' shape: another in the database is dropped and filled again from the event log. */
const PUBLIC_LIST_SHAPE = 1;

/**
 * Two tables: every submitted complaint's folded state (what the next event is folded onto, the
 * confidential ones too, since what becomes of them decides whether they may ever be listed), and
 * beside it the public list itself, one row per complaint Open311 may show, with what the list
 * filters and sorts on. A page is then a range of an index, newest first.
 */
export const publicListDdl = (schema: string): string => `
  CREATE TABLE ${schema}.folded (
    complaint_id text PRIMARY KEY,
    state json NOT NULL
  );
  CREATE TABLE ${schema}.requests (
    complaint_id text PRIMARY KEY,
    tracking_id text NOT NULL,
    service_code text NOT NULL,
    -- open or closed, as Open311 says it (OPEN311_STATUS)
    status text NOT NULL,
    instansi_id text,
    received_at timestamptz NOT NULL
  );
  -- the list's order; service code and status ride along so a filtered page is read off the index
  CREATE INDEX requests_page ON ${schema}.requests (received_at DESC, complaint_id DESC) INCLUDE (service_code, status);
  -- one instansi's list (jurisdiction_id), in the same order
  CREATE INDEX requests_instansi_page ON ${schema}.requests (instansi_id, received_at DESC, complaint_id DESC) INCLUDE (service_code, status);`;

/** Makes the list's tables; `reset: true` when another shape of them was dropped, to be filled again from the log. */
export async function preparePublicListTables(db: SqlRunner): Promise<{ reset: boolean }> {
  return prepareReadModelTables(db, { schema: PUBLIC_LIST_SCHEMA, consumer: PUBLIC_LIST_PROJECTION, shape: PUBLIC_LIST_SHAPE, ddl: publicListDdl });
}
