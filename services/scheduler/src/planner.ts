import type { Calendar } from '@lapor/calendar';
import { isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import {
  clockZoneOf,
  complaintDecider,
  parseComplaintEvent,
  type Complaint,
  type ComplaintState,
  type OrganisationTree,
  type SlaConfiguration,
} from '@lapor/domain';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import { planTimers, type PlannedTimer } from '@lapor/scheduling';
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

async function planComplaint(
  tx: SqlQueryable,
  schema: string,
  deps: PlannerDependencies,
  state: Complaint,
  streamVersion: bigint,
  // false for a complaint's first event: it has no timers yet, so none to drop
  { planned }: { planned: boolean } = { planned: true },
): Promise<void> {
  const tree = deps.tree();
  const calendar = deps.calendar();
  const policy = deps.policy();
  // each clock in its own zone, as the statistics count it too (the domain's clockZoneOf)
  const { timers, waiting } = planTimers(state, { policy: policy.configuration, calendar, zoneOf: (clock) => clockZoneOf(state, clock, tree) });
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
    // waited for its calendar year gets its deadline now, and what it names (stored without it).
    await tx.query(
      `INSERT INTO ${schema}.timers (key, complaint_id, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone, planned_version, calendar_version, policy_version)
       SELECT key, $2, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone, $4, $5, $6
       FROM unnest($1::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::timestamptz[], $3::text[])
         AS t(key, kind, stage, clock_started_at, deadline_at, due_at, subject_id, stage_ended_at, zone)
       ON CONFLICT (key) DO UPDATE SET
         planned_version = excluded.planned_version,
         subject_id = excluded.subject_id,
         stage_ended_at = excluded.stage_ended_at,
         deadline_at = CASE WHEN ${schema}.timers.status = 'waiting' THEN excluded.deadline_at ELSE ${schema}.timers.deadline_at END,
         zone = CASE WHEN ${schema}.timers.status = 'waiting' THEN excluded.zone ELSE ${schema}.timers.zone END,
         due_at = CASE WHEN ${schema}.timers.status = 'waiting' THEN excluded.due_at ELSE ${schema}.timers.due_at END,
         calendar_version = CASE WHEN ${schema}.timers.status = 'waiting' THEN excluded.calendar_version ELSE ${schema}.timers.calendar_version END,
         status = CASE WHEN ${schema}.timers.status = 'waiting'
                         OR (${schema}.timers.status IN ('dropped', 'stale', 'refused') AND excluded.planned_version > ${schema}.timers.planned_version)
                       THEN 'pending' ELSE ${schema}.timers.status END,
         outcome = CASE WHEN ${schema}.timers.status = 'waiting' THEN NULL ELSE ${schema}.timers.outcome END`,
      [
        column((timer) => timer.key),
        state.complaintId,
        column((timer) => timer.zone),
        version,
        calendar.version,
        policy.version,
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
        calendar.version,
        policy.version,
        waiting.map((timer) => timer.kind),
        waiting.map((timer) => timer.stage),
        waiting.map((timer) => timer.clockStartedAt),
        waiting.map((timer) => timer.reason),
      ],
    );
  }
}
