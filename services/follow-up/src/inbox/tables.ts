import { ensureSchema, type SqlRunner } from '@lapor/sql';

export const INBOX_SCHEMA = 'inbox';
/** The consumer name the applied positions are kept under. */
export const INBOX_PROJECTION = 'inbox';

/**
 * One row per complaint, and beside it who sees it: for each node, why (holder, tembusan, below).
 * A node's page is then a range of `visibility_page`, newest first, with no tree walk per row.
 */
export async function prepareInboxTables(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    INBOX_SCHEMA,
    `
    CREATE TABLE IF NOT EXISTS ${INBOX_SCHEMA}.complaints (
      complaint_id text PRIMARY KEY,
      tracking_id text NOT NULL,
      title text NOT NULL,
      kind text NOT NULL,
      channel text NOT NULL,
      category text,
      status text NOT NULL,
      anonymous boolean NOT NULL,
      confidential boolean NOT NULL,
      holder_id text NOT NULL,
      instansi_id text,
      assigned_unit_id text,
      tembusan json NOT NULL,
      -- every node that has held it
      handled_by json NOT NULL,
      received_at timestamptz NOT NULL,
      -- as the events carry it, for the answer
      received_at_text text NOT NULL,
      updated_at text NOT NULL,
      stream_version bigint NOT NULL,
      -- the folded complaint, to fold the next event onto
      state json NOT NULL
    );
    -- per node: the complaints its inbox lists, and why; what a page is ordered and filtered by is
    -- repeated here, so a page and its total are one index range with no join until the rows shown
    CREATE TABLE IF NOT EXISTS ${INBOX_SCHEMA}.visibility (
      node_id text NOT NULL,
      complaint_id text NOT NULL,
      relation text NOT NULL,
      received_at timestamptz NOT NULL,
      status text NOT NULL,
      kind text NOT NULL,
      channel text NOT NULL,
      category text,
      PRIMARY KEY (node_id, complaint_id)
    );
    CREATE INDEX IF NOT EXISTS visibility_page ON ${INBOX_SCHEMA}.visibility (node_id, received_at DESC, complaint_id DESC);
    CREATE INDEX IF NOT EXISTS visibility_complaint ON ${INBOX_SCHEMA}.visibility (complaint_id);`,
  );
}
