import { ensureSchema, type SqlRunner } from '@lapor/sql';

export const PUBLIC_LIST_SCHEMA = 'open311';
/** The consumer name the applied positions are kept under. */
export const PUBLIC_LIST_PROJECTION = 'open311-list';

/**
 * Two tables: every submitted complaint's folded state (what the next event is folded onto, the
 * confidential ones too, since what becomes of them decides whether they may ever be listed), and
 * beside it the public list itself, one row per complaint Open311 may show, with what the list
 * filters and sorts on. A page is then a range of an index, newest first.
 */
export async function preparePublicListTables(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    PUBLIC_LIST_SCHEMA,
    `
    CREATE TABLE IF NOT EXISTS ${PUBLIC_LIST_SCHEMA}.folded (
      complaint_id text PRIMARY KEY,
      state json NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${PUBLIC_LIST_SCHEMA}.requests (
      complaint_id text PRIMARY KEY,
      tracking_id text NOT NULL,
      service_code text NOT NULL,
      -- open or closed, as Open311 says it (OPEN311_STATUS)
      status text NOT NULL,
      instansi_id text,
      received_at timestamptz NOT NULL
    );
    -- the list's order; service code and status ride along so a filtered page is read off the index
    CREATE INDEX IF NOT EXISTS requests_page ON ${PUBLIC_LIST_SCHEMA}.requests (received_at DESC, complaint_id DESC) INCLUDE (service_code, status);
    -- one instansi's list (jurisdiction_id), in the same order
    CREATE INDEX IF NOT EXISTS requests_instansi_page ON ${PUBLIC_LIST_SCHEMA}.requests (instansi_id, received_at DESC, complaint_id DESC) INCLUDE (service_code, status);`,
  );
}
