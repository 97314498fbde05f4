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
export const INBOX_SHAPE = 6; // 2: description and search columns; 3: the page index covers the filters; 4: complaints by receipt; 5: title words, searchable, a page index per filter; 6: visibility counts

/** The text-search configuration title words are cut with for the lexicon: lower case, no stemming (what a typo is measured against). */
export const TITLE_WORDS_CONFIGURATION = 'simple';

/** The distinct words of a title, as the lexicon counts them (SQL over a text parameter or column). */
export const titleWordsOf = (title: string): string => `tsvector_to_array(to_tsvector('${TITLE_WORDS_CONFIGURATION}', ${title}))`;

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
  );
  -- the lexicon: every distinct word of the titles in the inbox, and how many titles have it. A typo
  -- is matched against these words (a few thousand, not a million titles), and the words it matches
  -- become a text-search query on the complaints' own index
  CREATE TABLE ${schema}.title_words (
    word text NOT NULL,
    complaints integer NOT NULL
  );
  -- what a wide search (an instansi, Admin Nasional) looks through: per complaint its words, its
  -- tracking id and every node that sees it (the visibility rows' nodes), in one narrow row, so the
  -- text match and "seen by this node" meet inside one GIN index before any row is read, and a
  -- total is counted from the index alone
  -- how many rows each node has per status, kind, channel and category, kept beside visibility in
  -- the same transaction: a total under those filters is a sum of a few of these rows, exact at any
  -- size, instead of a walk over the node's index range (the root's is the whole country)
  CREATE TABLE ${schema}.visibility_counts (
    node_id text NOT NULL,
    status text NOT NULL,
    kind text NOT NULL,
    channel text NOT NULL,
    category text,
    n integer NOT NULL
  );
  CREATE TABLE ${schema}.searchable (
    complaint_id text NOT NULL,
    tracking_id text NOT NULL,
    received_at timestamptz NOT NULL,
    search tsvector NOT NULL,
    seen_by text[] NOT NULL
  )`;

/** A page index per equality filter: a rare kind (or channel, status, category) is a range of its own, not a walk past the others. */
const FILTER_COLUMNS = ['status', 'kind', 'channel', 'category'] as const;
const filterIndexes = (schema: string): string[] =>
  FILTER_COLUMNS.map(
    (column) =>
      `CREATE INDEX visibility_page_by_${column} ON ${schema}.visibility (node_id, ${column}, received_at DESC, complaint_id DESC) INCLUDE (${[
        'relation',
        ...FILTER_COLUMNS.filter((other) => other !== column),
      ].join(', ')})`,
  );

/** The lexicon's rows from the complaints' titles, then its key and trigram index (one statement string, run in order). */
const titleWordsFromComplaints = (schema: string): string =>
  `INSERT INTO ${schema}.title_words (word, complaints) SELECT word, count(*) FROM ${schema}.complaints, unnest(${titleWordsOf('title')}) AS word GROUP BY word;
   ALTER TABLE ${schema}.title_words ADD PRIMARY KEY (word);
   CREATE INDEX title_words_trigrams ON ${schema}.title_words USING gin (word gin_trgm_ops)`;

/** visibility_counts from the visibility rows, then its key (one statement string, run in order). */
const countsFromVisibility = (schema: string): string =>
  `INSERT INTO ${schema}.visibility_counts (node_id, status, kind, channel, category, n)
     SELECT node_id, status, kind, channel, category, count(*) FROM ${schema}.visibility GROUP BY node_id, status, kind, channel, category;
   CREATE UNIQUE INDEX visibility_counts_key ON ${schema}.visibility_counts (node_id, status, kind, channel, category) NULLS NOT DISTINCT`;

/** searchable's rows from the complaints and who sees them, then its key and indexes (one statement string, run in order). */
const searchableFromComplaints = (schema: string): string =>
  `INSERT INTO ${schema}.searchable (complaint_id, tracking_id, received_at, search, seen_by)
     SELECT c.complaint_id, c.tracking_id, c.received_at, c.search, coalesce(v.nodes, '{}')
     FROM ${schema}.complaints c
     LEFT JOIN (SELECT complaint_id, array_agg(node_id ORDER BY node_id COLLATE "C") AS nodes FROM ${schema}.visibility GROUP BY complaint_id) v USING (complaint_id);
   ALTER TABLE ${schema}.searchable ADD PRIMARY KEY (complaint_id);
   CREATE INDEX searchable_match ON ${schema}.searchable USING gin (search, seen_by);
   CREATE INDEX searchable_tracking_trigrams ON ${schema}.searchable USING gin (tracking_id gin_trgm_ops);
   CREATE INDEX searchable_received ON ${schema}.searchable (received_at)`;

/** Keys and indexes, one statement each: a bulk load runs them after the rows, side by side. */
export const inboxKeys = (schema: string): string[] => [
  `ALTER TABLE ${schema}.complaints ADD PRIMARY KEY (complaint_id)`,
  // the oldest and newest receipt, where a wide search's windows start and end
  `CREATE INDEX complaints_received ON ${schema}.complaints (received_at)`,
  `ALTER TABLE ${schema}.visibility ADD PRIMARY KEY (node_id, complaint_id)`,
  // covering what a page filters on and answers from it, so a filtered page or a count walks the index alone
  `CREATE INDEX visibility_page ON ${schema}.visibility (node_id, received_at DESC, complaint_id DESC) INCLUDE (relation, status, kind, channel, category)`,
  ...filterIndexes(schema),
  `CREATE INDEX visibility_complaint ON ${schema}.visibility (complaint_id)`,
  countsFromVisibility(schema),
  titleWordsFromComplaints(schema),
  // after the complaints' and visibility's rows; the two statements above do not change them
  searchableFromComplaints(schema),
];

/**
 * Shape 4 → 5 in place (a million complaints refill from the log for hours, this takes minutes): the
 * lexicon and searchable made from the rows already there, the page index per filter, and the
 * complaints' search indexes (searchable's now) dropped.
 */
const upgradeFrom4 = (schema: string): string =>
  [
    `CREATE TABLE ${schema}.title_words (word text NOT NULL, complaints integer NOT NULL)`,
    `CREATE TABLE ${schema}.searchable (complaint_id text NOT NULL, tracking_id text NOT NULL, received_at timestamptz NOT NULL, search tsvector NOT NULL, seen_by text[] NOT NULL)`,
    titleWordsFromComplaints(schema),
    searchableFromComplaints(schema),
    ...filterIndexes(schema),
    `DROP INDEX ${schema}.complaints_title_trigrams, ${schema}.complaints_search, ${schema}.complaints_tracking_trigrams`,
    `ANALYZE ${schema}.title_words`,
    `ANALYZE ${schema}.searchable`,
    `ANALYZE ${schema}.visibility`,
  ].join(';\n');

/** Shape 5 → 6 in place: the counts made from the visibility rows already there. */
const upgradeFrom5 = (schema: string): string =>
  [
    `CREATE TABLE ${schema}.visibility_counts (node_id text NOT NULL, status text NOT NULL, kind text NOT NULL, channel text NOT NULL, category text, n integer NOT NULL)`,
    countsFromVisibility(schema),
    `ANALYZE ${schema}.visibility_counts`,
  ].join(';\n');

/**
 * Makes the inbox tables; another shape of them in the database is dropped and filled again from
 * the log (prepareReadModelTables), answering `reset: true`; shapes 4 and 5 are upgraded in place.
 */
export async function prepareInboxTables(db: SqlRunner): Promise<{ reset: boolean; upgradedFrom?: number }> {
  return prepareReadModelTables(db, {
    schema: INBOX_SCHEMA,
    consumer: INBOX_PROJECTION,
    shape: INBOX_SHAPE,
    ddl: (schema) => [inboxTablesDdl(schema), ...inboxKeys(schema)].join(';\n'),
    upgrades: { 4: upgradeFrom4, 5: upgradeFrom5 },
    // pg_trgm is a trusted extension: the database's owner may create it (PGlite loads it at open)
    before: 'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  });
}
