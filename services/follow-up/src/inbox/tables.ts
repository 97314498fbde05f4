import { prepareReadModelTables } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';

export const INBOX_SCHEMA = 'inbox';
/** Where a rebuild builds the tables before swapping them in. */
export const INBOX_SHADOW_SCHEMA = 'inbox_shadow';
/** The consumer name the applied positions are kept under. */
export const INBOX_PROJECTION = 'inbox';
/**
 * The tables' shape. Another shape in the database means another version of this code made them:
 * they are dropped and filled again from the event log.
 */
export const INBOX_SHAPE = 4; // 2: description and search columns; 3: the page index covers the filters; 4: complaints by receipt

/** The text-search configuration complaints are searched in: Bahasa Indonesia's stemmer. */
export const SEARCH_CONFIGURATION = 'indonesian';

/**
 * One row per complaint, and beside it who sees it: for each node, why (holder, tembusan, below).
 * A node's page is then a range of `visibility_page`, newest first, with no tree walk per row.
 * Without keys and indexes: a bulk load adds those after the rows.
 */
export const inboxTablesDdl = (schema: string): string => `
  CREATE TABLE ${schema}.complaints (
    complaint_id text NOT NULL,
    tracking_id text NOT NULL,
    title text NOT NULL,
    -- what the reporter wrote about the problem (never who they are: that is sealed in the events)
    description text NOT NULL,
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
    state json NOT NULL,
    -- words of the title weigh more than words of the description
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('${SEARCH_CONFIGURATION}', title), 'A') || setweight(to_tsvector('${SEARCH_CONFIGURATION}', description), 'B')
    ) STORED
  );
  -- per node: the complaints its inbox lists, and why; what a page is ordered and filtered by is
  -- repeated here, so a page and its total are one index range with no join until the rows shown
  CREATE TABLE ${schema}.visibility (
    node_id text NOT NULL,
    complaint_id text NOT NULL,
    relation text NOT NULL,
    received_at timestamptz NOT NULL,
    status text NOT NULL,
    kind text NOT NULL,
    channel text NOT NULL,
    category text
  )`;

/** Keys and indexes, one statement each: a bulk load runs them after the rows, side by side. */
export const inboxKeys = (schema: string): string[] => [
  `ALTER TABLE ${schema}.complaints ADD PRIMARY KEY (complaint_id)`,
  `CREATE INDEX complaints_search ON ${schema}.complaints USING gin (search)`,
  // trigrams: a part of a tracking id, and a title word typed with a typo
  `CREATE INDEX complaints_tracking_trigrams ON ${schema}.complaints USING gin (tracking_id gin_trgm_ops)`,
  `CREATE INDEX complaints_title_trigrams ON ${schema}.complaints USING gin (title gin_trgm_ops)`,
  // a wide search's windows of receipt time, ANDed with the matches above
  `CREATE INDEX complaints_received ON ${schema}.complaints (received_at)`,
  `ALTER TABLE ${schema}.visibility ADD PRIMARY KEY (node_id, complaint_id)`,
  // covering what a page filters on and answers from it, so a filtered page or a count walks the index alone
  `CREATE INDEX visibility_page ON ${schema}.visibility (node_id, received_at DESC, complaint_id DESC) INCLUDE (relation, status, kind, channel, category)`,
  `CREATE INDEX visibility_complaint ON ${schema}.visibility (complaint_id)`,
];

/**
 * Makes the inbox tables; another shape of them in the database is dropped and filled again from
 * the log (prepareReadModelTables), answering `reset: true`.
 */
export async function prepareInboxTables(db: SqlRunner): Promise<{ reset: boolean }> {
  return prepareReadModelTables(db, {
    schema: INBOX_SCHEMA,
    consumer: INBOX_PROJECTION,
    shape: INBOX_SHAPE,
    ddl: (schema) => [inboxTablesDdl(schema), ...inboxKeys(schema)].join(';\n'),
    // pg_trgm is a trusted extension: the database's owner may create it (PGlite loads it at open)
    before: 'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  });
}
