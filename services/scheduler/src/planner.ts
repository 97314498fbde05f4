import type { Calendar } from '@lapor/calendar';
import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, NATIONAL_TIME_ZONE, parseComplaintEvent, type Complaint, type ComplaintState, type OrganisationTree, type SlaConfiguration } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/event-store';
import { plannedTimers } from '@lapor/scheduling';
import { SCHEDULER_SCHEMA } from './tables';

export interface PlannerDependencies {
  readonly tree: () => OrganisationTree;
  readonly calendar: () => Calendar;
  readonly policy: () => { readonly version: number; readonly configuration: SlaConfiguration };
  readonly schema?: string;
}

/** Deadlines count in the instansi's zone; before a complaint is inside one, in the zone of its door. */
export const zoneOf = (complaint: Complaint, tree: OrganisationTree) => {
  const nodeId = complaint.instansiId ?? complaint.addressedTo.id;
  return tree.has(nodeId) ? tree.timeZoneOf(nodeId) : NATIONAL_TIME_ZONE;
};

/**
 * The planner as a read side: each complaint event folds the complaint forward and plans its
 * timers again. A timer planned before keeps its deadline (and the calendar and policy that set
 * it) and moves to the new version; one no longer called for, and not fired yet, is dropped.
 */
export function createTimerPlanner(deps: PlannerDependencies): EventHandler {
  const schema = deps.schema ?? SCHEDULER_SCHEMA;
  return {
    name: 'scheduler',
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const [stored] = await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaint_state WHERE complaint_id = $1`, [envelope.complaintId]);
      const state = complaintDecider.evolve(stored?.state ?? complaintDecider.initialState(), event);
      const version = envelope.streamVersion.toString();
      await tx.query(
        `INSERT INTO ${schema}.complaint_state (complaint_id, state, version) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
        [envelope.complaintId, JSON.stringify(state), version],
      );
      if (!state.submitted) return;
      const tree = deps.tree();
      const calendar = deps.calendar();
      const policy = deps.policy();
      const zone = zoneOf(state, tree);
      const timers = plannedTimers(state, { policy: policy.configuration, calendar, zone });
      // not deleted: a timer wanted again later (a reply reopens the completion stage) keeps its deadline
      await tx.query(`UPDATE ${schema}.timers SET status = 'dropped' WHERE complaint_id = $1 AND status = 'pending' AND NOT (key = ANY($2::text[]))`, [
        envelope.complaintId,
        timers.map((timer) => timer.key),
      ]);
      if (timers.length === 0) return;
      const column = <T>(pick: (timer: (typeof timers)[number]) => T): T[] => timers.map(pick);
      // A timer dropped, stale or refused at an older version is wanted again at this one.
      await tx.query(
        `INSERT INTO ${schema}.timers (key, complaint_id, kind, stage, clock_started_at, deadline_at, due_at, subject_id, zone, planned_version, calendar_version, policy_version)
         SELECT key, $2, kind, stage, clock_started_at, deadline_at, due_at, subject_id, $3, $4, $5, $6
         FROM unnest($1::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::text[])
           AS t(key, kind, stage, clock_started_at, deadline_at, due_at, subject_id)
         ON CONFLICT (key) DO UPDATE SET
           planned_version = excluded.planned_version,
           status = CASE WHEN ${schema}.timers.status IN ('dropped', 'stale', 'refused') AND excluded.planned_version > ${schema}.timers.planned_version
                         THEN 'pending' ELSE ${schema}.timers.status END`,
        [
          column((timer) => timer.key),
          envelope.complaintId,
          zone,
          version,
          calendar.version,
          policy.version,
          column((timer) => timer.kind),
          column((timer) => timer.stage),
          column((timer) => timer.clockStartedAt),
          column((timer) => timer.deadlineAt),
          column((timer) => timer.dueAt),
          column((timer) => timer.subjectId),
        ],
      );
    },
  };
}
