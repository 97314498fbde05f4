import type { Calendar } from '@lapor/calendar';
import { complaintsStoredBefore, isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import {
  clockZoneOf,
  complaintDecider,
  parseComplaintEvent,
  type Complaint,
  type ComplaintState,
  type OrganisationTree,
  type SlaConfiguration,
} from '@lapor/domain';
import { rowsAsJson, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { planTimers, type PlannedTimer } from '@lapor/scheduling';
import { foldPlannerPage, type PlanningRules, type StoredPlanning, type TimerRow } from './plan-page';
import { SCHEDULER_SCHEMA } from './tables';

export interface PlannerDependencies {
  readonly tree: () => OrganisationTree;
  readonly calendar: () => Calendar;
  readonly policy: () => { readonly version: number; readonly configuration: SlaConfiguration };
  readonly schema?: string;
}

/**
 * The planner as a read side: each complaint event folds the complaint forward and plans its
 * timers again. A timer planned before keeps its deadline (and the calendar and policy that set
 * it) and moves to the new version; one no longer called for, and not fired yet, is marked dropped.
 * A page of events does the same in memory (plan-page.ts) and writes what it left in four
 * statements, where `handle` takes up to five an event; `handle` stays the rules' SQL, which
 * replanWaiting uses too and the page spec holds the page to.
 */
export function createTimerPlanner(deps: PlannerDependencies): EventHandler {
  const schema = deps.schema ?? SCHEDULER_SCHEMA;
  return {
    name: 'scheduler',
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const first = isFirstEventOfComplaint(envelope);
      const [stored] = first
        ? []
        : await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaint_state WHERE complaint_id = $1`, [envelope.complaintId]);
      const state = complaintDecider.evolve(stored?.state ?? complaintDecider.initialState(), event);
      await tx.query(
        `INSERT INTO ${schema}.complaint_state (complaint_id, state, version) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
        [envelope.complaintId, JSON.stringify(state), envelope.streamVersion.toString()],
      );
      if (state.submitted) await planComplaint(tx, schema, deps, state, envelope.streamVersion, { planned: !first });
    },
    handlePage: (events, tx) => planPage(tx, schema, deps, events),
  };
}

/**
 * Plans the complaints that have timers waiting for a calendar year, again, from their stored
 * state: what to run when the calendar gets a new year. Answers how many complaints were planned.
 */
export async function replanWaiting(db: SqlRunner, deps: PlannerDependencies): Promise<number> {
  const schema = deps.schema ?? SCHEDULER_SCHEMA;
  const rows = await db.query<{ complaint_id: string }>(`SELECT DISTINCT complaint_id FROM ${schema}.timers WHERE status = 'waiting'`);
  for (const { complaint_id: complaintId } of rows) {
    await db.transaction(async (tx) => {
      const [row] = await tx.query<{ state: ComplaintState; version: string | number }>(
        `SELECT state, version FROM ${schema}.complaint_state WHERE complaint_id = $1 FOR UPDATE`,
        [complaintId],
      );
      if (row?.state.submitted) await planComplaint(tx, schema, deps, row.state, BigInt(row.version));
    });
  }
  return rows.length;
}

function planningRules(deps: PlannerDependencies): PlanningRules {
  const tree = deps.tree();
  const calendar = deps.calendar();
  const policy = deps.policy();
  return {
    // each clock in its own zone, as the statistics count it too (the domain's clockZoneOf)
    plan: (complaint: Complaint) => planTimers(complaint, { policy: policy.configuration, calendar, zoneOf: (clock) => clockZoneOf(complaint, clock, tree) }),
    calendarVersion: calendar.version,
    policyVersion: policy.version,
  };
}

async function planComplaint(
  tx: SqlQueryable,
  schema: string,
  deps: PlannerDependencies,
  state: Complaint,
  streamVersion: bigint,
  // false for a complaint's first event: it has no timers yet, so none to drop
  { planned }: { planned: boolean } = { planned: true },
): Promise<void> {
  const rules = planningRules(deps);
  const { timers, waiting } = rules.plan(state);
  const version = streamVersion.toString();
  const wanted = [...timers.map((timer) => timer.key), ...waiting.map((timer) => timer.key)];
  // not deleted: a timer wanted again later (a reply reopens the completion stage) keeps its deadline
  if (planned) {
    await tx.query(
      `UPDATE ${schema}.timers SET status = 'dropped' WHERE complaint_id = $1 AND status IN ('pending', 'waiting') AND NOT (key = ANY($2::text[]))`,
      [state.complaintId, wanted],
    );
  }
  if (timers.length > 0) {
    const column = <T>(pick: (timer: PlannedTimer) => T): T[] => timers.map(pick);
    // A timer dropped, stale or refused at an older version is wanted again at this one; one that
    // has no deadline yet gets it now (and the calendar and policy that set it), and what it names
    // (stored without it). No deadline yet: waiting for its calendar year, or dropped while it
    // waited, its clock's start still standing in for the deadline; revived with that, it was due
    // at once and fired a breach weeks early.
    const noDeadlineYet = `(${schema}.timers.status = 'waiting' OR ${schema}.timers.deadline_at = ${schema}.timers.clock_started_at)`;
    await tx.query(
      `INSERT INTO ${schema}.timers (key, complaint_id, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone, planned_version, calendar_version, policy_version)
       SELECT key, $2, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone, $4, $5, $6
       FROM unnest($1::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::timestamptz[], $3::text[])
         AS t(key, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone)
       ON CONFLICT (key) DO UPDATE SET
         planned_version = excluded.planned_version,
         subject_id = excluded.subject_id,
         stage_ended_at = excluded.stage_ended_at,
         deadline_at = CASE WHEN ${noDeadlineYet} THEN excluded.deadline_at ELSE ${schema}.timers.deadline_at END,
         zone = CASE WHEN ${noDeadlineYet} THEN excluded.zone ELSE ${schema}.timers.zone END,
         due_at = CASE WHEN ${noDeadlineYet} THEN excluded.due_at ELSE ${schema}.timers.due_at END,
         calendar_version = CASE WHEN ${noDeadlineYet} THEN excluded.calendar_version ELSE ${schema}.timers.calendar_version END,
         policy_version = CASE WHEN ${noDeadlineYet} THEN excluded.policy_version ELSE ${schema}.timers.policy_version END,
         status = CASE WHEN ${schema}.timers.status = 'waiting'
                         OR (${schema}.timers.status IN ('dropped', 'stale', 'refused') AND excluded.planned_version > ${schema}.timers.planned_version)
                       THEN 'pending' ELSE ${schema}.timers.status END,
         outcome = CASE WHEN ${noDeadlineYet} THEN NULL ELSE ${schema}.timers.outcome END`,
      [
        column((timer) => timer.key),
        state.complaintId,
        column((timer) => timer.zone),
        version,
        rules.calendarVersion,
        rules.policyVersion,
        column((timer) => timer.kind),
        column((timer) => timer.stage),
        column((timer) => timer.clockStartedAt),
        column((timer) => timer.deadlineAt),
        column((timer) => timer.dueAt),
        column((timer) => timer.subjectId),
        column((timer) => timer.stageEndedAt),
      ],
    );
  }
  if (waiting.length > 0) {
    // no deadline yet: the clock's start stands in for it, and the reason says what is missing
    await tx.query(
      `INSERT INTO ${schema}.timers (key, complaint_id, kind, stage, clock_started_at, deadline_at, due_at, zone, planned_version, calendar_version, policy_version, status, outcome)
       SELECT key, $2, kind, stage, clock_started_at, clock_started_at, clock_started_at, zone, $4, $5, $6, 'waiting', reason
       FROM unnest($1::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $3::text[]) AS t(key, kind, stage, clock_started_at, reason, zone)
       ON CONFLICT (key) DO UPDATE SET planned_version = excluded.planned_version,
         status = CASE WHEN ${schema}.timers.status IN ('dropped', 'waiting') THEN 'waiting' ELSE ${schema}.timers.status END`,
      [
        waiting.map((timer) => timer.key),
        state.complaintId,
        waiting.map((timer) => timer.zone),
        version,
        rules.calendarVersion,
        rules.policyVersion,
        waiting.map((timer) => timer.kind),
        waiting.map((timer) => timer.stage),
        waiting.map((timer) => timer.clockStartedAt),
        waiting.map((timer) => timer.reason),
      ],
    );
  }
}

interface StoredTimerRow {
  key: string;
  complaint_id: string;
  kind: string;
  stage: string;
  clock_started_at: string;
  deadline_at: string;
  due_at: string;
  subject_id: string | null;
  stage_ended_at: string | null;
  zone: string;
  planned_version: string | number;
  calendar_version: string;
  policy_version: number;
  status: string;
  outcome: string | null;
}

/** A page's rows are written with these; planned_at (its default) and fired_at are left to the table. */
const TIMER_COLUMNS = [
  'key',
  'complaint_id',
  'kind',
  'stage',
  'clock_started_at',
  'deadline_at',
  'due_at',
  'subject_id',
  'stage_ended_at',
  'zone',
  'planned_version',
  'calendar_version',
  'policy_version',
  'status',
  'outcome',
] as const;
/** What planning again may change of a row: the rest stays as the row was first inserted. */
const REPLANNED_COLUMNS = [
  'deadline_at',
  'due_at',
  'subject_id',
  'stage_ended_at',
  'zone',
  'planned_version',
  'calendar_version',
  'policy_version',
  'status',
  'outcome',
] as const;

/**
 * The page's complaints as the tables hold them, their rows locked: states first, then timers, the
 * order the one-event handler and replanWaiting take them in. The timers are locked because the
 * rules decide on a row's status, and a sweeper may mark one fired between this read and the page's
 * write: the one-event upsert would see that (it waits for the sweeper's lock and reads the row
 * again), so the page must too. Timestamps are read as text: what is written back is what was read.
 */
async function readStored(tx: SqlQueryable, schema: string, events: readonly EventEnvelope[]): Promise<StoredPlanning> {
  const ids = complaintsStoredBefore(events);
  if (ids.length === 0) return { states: new Map(), rows: [] };
  const states = await tx.query<{ complaint_id: string; state: ComplaintState }>(
    `SELECT complaint_id, state FROM ${schema}.complaint_state WHERE complaint_id = ANY($1::text[]) ORDER BY complaint_id FOR UPDATE`,
    [ids],
  );
  const rows = await tx.query<StoredTimerRow>(
    `SELECT key, complaint_id, kind, stage, clock_started_at::text AS clock_started_at, deadline_at::text AS deadline_at, due_at::text AS due_at,
            subject_id, stage_ended_at::text AS stage_ended_at, zone, planned_version, calendar_version, policy_version, status, outcome
     FROM ${schema}.timers WHERE complaint_id = ANY($1::text[]) ORDER BY key FOR UPDATE`,
    [ids],
  );
  return {
    states: new Map(states.map((row) => [row.complaint_id, row.state])),
    rows: rows.map((row): TimerRow => ({
      key: row.key,
      complaintId: row.complaint_id,
      kind: row.kind,
      stage: row.stage,
      clockStartedAt: row.clock_started_at,
      deadlineAt: row.deadline_at,
      dueAt: row.due_at,
      subjectId: row.subject_id,
      stageEndedAt: row.stage_ended_at,
      zone: row.zone,
      plannedVersion: BigInt(row.planned_version),
      calendarVersion: row.calendar_version,
      policyVersion: row.policy_version,
      status: row.status,
      outcome: row.outcome,
    })),
  };
}

/**
 * A page of events planned at once: its complaints and their timers read in two statements, folded
 * event by event in memory, written back in two (the states, then the rows the page changed or
 * added, in key order, so that whatever else locks them meets them in one order).
 */
async function planPage(tx: SqlQueryable, schema: string, deps: PlannerDependencies, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const events = envelopes.map((envelope) => ({
    complaintId: envelope.complaintId,
    streamVersion: envelope.streamVersion,
    first: isFirstEventOfComplaint(envelope),
    event: parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data }),
  }));
  const writes = foldPlannerPage(events, await readStored(tx, schema, envelopes), planningRules(deps));
  await tx.query(
    `INSERT INTO ${schema}.complaint_state (complaint_id, state, version) SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
     ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
    [
      writes.states.map((entry) => entry.complaintId),
      writes.states.map((entry) => JSON.stringify(entry.state)),
      writes.states.map((entry) => entry.version.toString()),
    ],
  );
  if (writes.rows.length === 0) return;
  const names = TIMER_COLUMNS.join(', ');
  await tx.query(
    `INSERT INTO ${schema}.timers (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${schema}.timers, $1::json)
     ON CONFLICT (key) DO UPDATE SET ${REPLANNED_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')}`,
    [
      rowsAsJson(
        TIMER_COLUMNS,
        writes.rows.map((row) => [
          row.key,
          row.complaintId,
          row.kind,
          row.stage,
          row.clockStartedAt,
          row.deadlineAt,
          row.dueAt,
          row.subjectId,
          row.stageEndedAt,
          row.zone,
          row.plannedVersion.toString(),
          row.calendarVersion,
          row.policyVersion,
          row.status,
          row.outcome,
        ]),
      ),
    ],
  );
}
