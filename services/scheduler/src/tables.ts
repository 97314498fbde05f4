import type { SqlRunner } from '@lapor/sql';

export const SCHEDULER_SCHEMA = 'scheduler';

/**
 * The timer table and the folded complaints the planner decides from. Pending timers are found by
 * a partial index on the due time, so a sweep costs what is due, not what is open.
 */
export async function prepareSchedulerTables(db: SqlRunner, schema = SCHEDULER_SCHEMA): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('lapor.scheduler.tables'))`);
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE TABLE IF NOT EXISTS ${schema}.complaint_state (
        complaint_id text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${schema}.timers (
        key text PRIMARY KEY,
        complaint_id text NOT NULL,
        kind text NOT NULL,
        stage text NOT NULL,
        clock_started_at timestamptz NOT NULL,
        deadline_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        subject_id text,
        -- a breach of a stage that ended late: lateness counts to here
        stage_ended_at timestamptz,
        zone text NOT NULL,
        -- the complaint's version the timer was last planned at: one wanted again at a newer
        -- version after it was dropped or refused is pending again
        planned_version bigint NOT NULL,
        -- what set the deadline: it stays with the timer when either changes later
        calendar_version text NOT NULL,
        policy_version integer NOT NULL,
        planned_at timestamptz NOT NULL DEFAULT now(),
        -- pending, fired, refused, dropped; or waiting: its deadline's year (or, for a breach seen
        -- late, the year it is seen in) has no decree yet. ('stale' came from older sweepers: see below)
        status text NOT NULL DEFAULT 'pending',
        fired_at timestamptz,
        outcome text
      );
      -- In the sweep's order (due_at, key): a claim reads the batch it takes and stops, where an index
      -- on due_at alone read and sorted every timer due at once (thousands share one deadline).
      CREATE INDEX IF NOT EXISTS timers_due_in_order ON ${schema}.timers (due_at, key) WHERE status = 'pending';
      DROP INDEX IF EXISTS ${schema}.timers_due;
      CREATE INDEX IF NOT EXISTS timers_complaint ON ${schema}.timers (complaint_id);
      CREATE INDEX IF NOT EXISTS timers_waiting ON ${schema}.timers (complaint_id) WHERE status = 'waiting';
      -- Sweepers before this one marked a timer that lost a race with its complaint 'stale', and
      -- nothing was sure to fire it again. A sweeper now decides again on the complaint as it
      -- stands, so such a timer is simply due: the decider refuses it if its moment has passed.
      UPDATE ${schema}.timers SET status = 'pending', outcome = NULL WHERE status = 'stale';`);
  });
}
