import { forgetConsumer, readModelTablesLock } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';

/** Where the read tables live; a rebuild fills a shadow schema and swaps it in. */
export const STATISTICS_SCHEMA = 'statistics';
export const SHADOW_SCHEMA = 'statistics_shadow';
/** The consumer name the applied positions are kept under. */
export const PROJECTION_NAME = 'statistics';
/**
 * The tables' shape. A different shape in the database means the tables were made by another
 * version of this code: they are dropped and filled again from the event log.
 */
export const PROJECTION_SHAPE = 5; // 5: recap_changes, the recap as of a past moment without every interval

/** The read tables, without their keys and indexes (a bulk load adds those after the rows). */
const tablesDdl = (schema: string): string => `
  CREATE TABLE IF NOT EXISTS ${schema}.shape (shape integer NOT NULL, counted_with text);
  -- counted_with: the calendar version the working-day figures were last recounted with (recount.ts)
  -- the folded complaint, to compute the next facts from; json, not jsonb: it is only ever read
  -- whole, and uncompressed, since it is rewritten on every event
  CREATE TABLE IF NOT EXISTS ${schema}.complaint_state (complaint_id text NOT NULL, state json NOT NULL);
  ALTER TABLE ${schema}.complaint_state ALTER COLUMN state SET STORAGE EXTERNAL;
  -- what each complaint contributed to the recap, as intervals of time: the table as it stood at
  -- any moment is the rows valid then
  CREATE TABLE IF NOT EXISTS ${schema}.recap_facts (
    complaint_id text NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    row_node_id text NOT NULL,
    status text NOT NULL,
    received_on date NOT NULL,
    rtl_ms bigint,
    rating integer,
    rv_ms bigint
  );
  -- the recap as it stands now, summed per day and per month of receipt: what dashboards poll
  CREATE TABLE IF NOT EXISTS ${schema}.recap_daily (
    bucket date NOT NULL, row_node_id text NOT NULL, status text NOT NULL,
    n bigint NOT NULL, rtl_ms bigint NOT NULL, rtl_n bigint NOT NULL, rating_sum bigint NOT NULL, rating_n bigint NOT NULL, rv_ms bigint NOT NULL, rv_n bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${schema}.recap_monthly (LIKE ${schema}.recap_daily);
  -- the intervals' starts and ends summed per day, dekad and month they happened in and per month
  -- of receipt (bucket): the recap as of a past moment (recap-changes.ts)
  CREATE TABLE IF NOT EXISTS ${schema}.recap_changes (
    span text NOT NULL, changed date NOT NULL, bucket date NOT NULL, row_node_id text NOT NULL, status text NOT NULL,
    n bigint NOT NULL, rtl_ms bigint NOT NULL, rtl_n bigint NOT NULL, rating_sum bigint NOT NULL, rating_n bigint NOT NULL, rv_ms bigint NOT NULL, rv_n bigint NOT NULL
  );
  -- one row per complaint as it stands now
  CREATE TABLE IF NOT EXISTS ${schema}.complaint_facts (
    complaint_id text NOT NULL,
    door_id text NOT NULL,
    instansi_id text,
    row_node_id text NOT NULL,
    kind text NOT NULL,
    category text,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    received_on date NOT NULL,
    received_month date NOT NULL,
    reporter_ref text,
    disposed_working_days integer,
    followed_up_working_days integer,
    completed_working_days integer,
    handling_ms bigint,
    hops integer NOT NULL,
    returns integer NOT NULL,
    breaches_verification integer NOT NULL,
    breaches_first_follow_up integer NOT NULL,
    breaches_completion integer NOT NULL
  );
  -- every hand-off: dispositions down the tree, returns (Bukan Wewenang) up it
  CREATE TABLE IF NOT EXISTS ${schema}.hop_facts (
    complaint_id text NOT NULL,
    seq integer NOT NULL,
    type text NOT NULL,
    from_node_id text NOT NULL,
    to_node_id text NOT NULL,
    at timestamptz NOT NULL,
    received_on date NOT NULL,
    lost_ms bigint
  );
  -- administrators' verification decisions
  CREATE TABLE IF NOT EXISTS ${schema}.admin_actions (
    complaint_id text NOT NULL,
    at timestamptz NOT NULL,
    action text NOT NULL,
    account_id text NOT NULL,
    node_id text NOT NULL,
    received_on date NOT NULL,
    working_days integer,
    elapsed_ms bigint NOT NULL
  );
  -- SLA breaches the scheduler recorded, against the node responsible for the stage
  CREATE TABLE IF NOT EXISTS ${schema}.sla_breaches (
    complaint_id text NOT NULL,
    stage text NOT NULL,
    clock_started_at timestamptz NOT NULL,
    node_id text NOT NULL,
    due_at timestamptz NOT NULL,
    working_days_late integer NOT NULL,
    received_on date NOT NULL
  );`;

export const recapFactsKey = (schema: string): string => `ALTER TABLE ${schema}.recap_facts ADD PRIMARY KEY (complaint_id, valid_from)`;

/** The key of recap_changes, with the sums in its index too: an as-of recap reads tens of thousands of these, index only. */
export const recapChangesKey = (schema: string): string =>
  `ALTER TABLE ${schema}.recap_changes ADD PRIMARY KEY (span, changed, bucket, row_node_id, status) INCLUDE (n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n)`;

/** Keys and indexes, one statement each: a bulk load runs them after the rows, side by side. */
export const statisticsKeys = (schema: string): string[] => [
  `ALTER TABLE ${schema}.complaint_state ADD PRIMARY KEY (complaint_id)`,
  recapFactsKey(schema),
  `CREATE INDEX IF NOT EXISTS recap_facts_received ON ${schema}.recap_facts (received_on)`,
  // the intervals starting or ending on an as-of moment's own day
  `CREATE INDEX IF NOT EXISTS recap_facts_valid_from ON ${schema}.recap_facts (valid_from)`,
  `CREATE INDEX IF NOT EXISTS recap_facts_valid_to ON ${schema}.recap_facts (valid_to)`,
  recapChangesKey(schema),
  `ALTER TABLE ${schema}.recap_daily ADD PRIMARY KEY (bucket, row_node_id, status)`,
  `ALTER TABLE ${schema}.recap_monthly ADD PRIMARY KEY (bucket, row_node_id, status)`,
  `ALTER TABLE ${schema}.complaint_facts ADD PRIMARY KEY (complaint_id)`,
  `CREATE INDEX IF NOT EXISTS complaint_facts_received ON ${schema}.complaint_facts (received_on)`,
  `ALTER TABLE ${schema}.hop_facts ADD PRIMARY KEY (complaint_id, seq)`,
  `CREATE INDEX IF NOT EXISTS hop_facts_received ON ${schema}.hop_facts (received_on)`,
  `ALTER TABLE ${schema}.admin_actions ADD PRIMARY KEY (complaint_id, at, action)`,
  `CREATE INDEX IF NOT EXISTS admin_actions_received ON ${schema}.admin_actions (received_on)`,
  `ALTER TABLE ${schema}.sla_breaches ADD PRIMARY KEY (complaint_id, stage, clock_started_at)`,
  `CREATE INDEX IF NOT EXISTS sla_breaches_received ON ${schema}.sla_breaches (received_on)`,
];

/** The read tables' DDL for a schema, without keys when a bulk load follows. */
export const statisticsDdl = (schema: string, withKeys = true): string => [tablesDdl(schema), ...(withKeys ? statisticsKeys(schema) : [])].join(';\n') + ';';

/**
 * Makes the read tables. When the database holds another shape of them, they are dropped and this
 * read side's applied positions forgotten, so whatever feeds it starts over; answers `reset: true`
 * then (the event-log follower refills them by itself; behind Kafka, run the rebuild). One
 * transaction under an advisory lock, so instances starting together do this once.
 */
export async function prepareStatisticsTables(db: SqlRunner): Promise<{ reset: boolean }> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [readModelTablesLock(STATISTICS_SCHEMA)]);
    const [existing] = await tx.query<{ has_schema: boolean; has_shape: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1) AS has_schema, to_regclass($2) IS NOT NULL AS has_shape`,
      [STATISTICS_SCHEMA, `${STATISTICS_SCHEMA}.shape`],
    );
    const shape = existing?.has_shape ? (await tx.query<{ shape: number }>(`SELECT shape FROM ${STATISTICS_SCHEMA}.shape`))[0]?.shape : undefined;
    const reset = Boolean(existing?.has_schema) && shape !== PROJECTION_SHAPE;
    // new tables (a new shape, or a schema dropped by hand or left out of a backup) start from the log's start
    if (shape !== PROJECTION_SHAPE) await forgetConsumer(tx, PROJECTION_NAME);
    if (shape !== PROJECTION_SHAPE) {
      await tx.exec(`DROP SCHEMA IF EXISTS ${STATISTICS_SCHEMA} CASCADE; CREATE SCHEMA ${STATISTICS_SCHEMA};\n${statisticsDdl(STATISTICS_SCHEMA)}`);
      await tx.query(`INSERT INTO ${STATISTICS_SCHEMA}.shape (shape) VALUES ($1)`, [PROJECTION_SHAPE]);
    }
    return { reset };
  });
}
