import { complaintDecider, type Complaint, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import type { TimerPlan } from '@lapor/scheduling';
import { inKeyOrder } from '@lapor/consumer-kit';

// The planner's rules for the timers table, in memory: what planComplaint's three statements (drop
// the unwanted, upsert the planned, upsert the waiting) do to a complaint's rows, event after
// event, so a page of events can be folded over the rows it read and written back at once
// (planner.ts). Pure. Each rule here mirrors a CASE there; the page spec (planner-page.int.spec.ts)
// holds the two to the same rows.

/** One row of the timers table, as far as the planner reads or writes it (not planned_at, fired_at). */
export interface TimerRow {
  readonly key: string;
  readonly complaintId: string;
  readonly kind: string;
  readonly stage: string;
  /** Timestamps are carried as given (the database's text, or the plan's ISO) and never compared. */
  readonly clockStartedAt: string;
  deadlineAt: string;
  dueAt: string;
  subjectId: string | null;
  stageEndedAt: string | null;
  zone: string;
  plannedVersion: bigint;
  calendarVersion: string;
  policyVersion: number;
  /** pending, waiting, dropped, fired, refused, stale */
  status: string;
  outcome: string | null;
}

/** One planning of a complaint: what it wants, and what it is planned at. */
interface Planning {
  readonly plan: TimerPlan;
  readonly version: bigint;
  readonly calendarVersion: string;
  readonly policyVersion: number;
  /** false for a complaint's first event: it has no timers yet, so none to drop */
  readonly planned: boolean;
}

/**
 * Plans a complaint's rows (keyed by timer key, all of its rows) as planComplaint would, in its
 * order: answers the keys it touched (every rule that matches changes the row: its status, or the
 * version it was planned at).
 */
function planRows(rows: Map<string, TimerRow>, complaintId: string, planning: Planning): string[] {
  const { plan, version, calendarVersion, policyVersion } = planning;
  const touched: string[] = [];
  if (planning.planned) {
    const wanted = new Set([...plan.timers.map((timer) => timer.key), ...plan.waiting.map((timer) => timer.key)]);
    for (const row of rows.values()) {
      if ((row.status === 'pending' || row.status === 'waiting') && !wanted.has(row.key)) {
        row.status = 'dropped';
        touched.push(row.key);
      }
    }
  }
  for (const timer of plan.timers) {
    touched.push(timer.key);
    const row = rows.get(timer.key);
    if (!row) {
      rows.set(timer.key, {
        key: timer.key,
        complaintId,
        kind: timer.kind,
        stage: timer.stage,
        clockStartedAt: timer.clockStartedAt,
        deadlineAt: timer.deadlineAt,
        dueAt: timer.dueAt,
        subjectId: timer.subjectId,
        stageEndedAt: timer.stageEndedAt,
        zone: timer.zone,
        plannedVersion: version,
        calendarVersion,
        policyVersion,
        status: 'pending',
        outcome: null,
      });
      continue;
    }
    // every condition reads the row as it was before this planning, as the SET's CASEs do
    const wasWaiting = row.status === 'waiting';
    // waiting, or dropped while it waited: the clock's start stands in for the deadline (the same
    // text either way, as read or as planned here)
    const noDeadlineYet = wasWaiting || row.deadlineAt === row.clockStartedAt;
    const revived = ['dropped', 'stale', 'refused'].includes(row.status) && version > row.plannedVersion;
    row.plannedVersion = version;
    row.subjectId = timer.subjectId;
    row.stageEndedAt = timer.stageEndedAt;
    if (noDeadlineYet) {
      row.deadlineAt = timer.deadlineAt;
      row.zone = timer.zone;
      row.dueAt = timer.dueAt;
      row.calendarVersion = calendarVersion;
      row.policyVersion = policyVersion;
      row.outcome = null;
    }
    // outcome stays on a revived one (a refused timer keeps the code it was refused with)
    if (wasWaiting || revived) row.status = 'pending';
  }
  for (const timer of plan.waiting) {
    touched.push(timer.key);
    const row = rows.get(timer.key);
    if (!row) {
      rows.set(timer.key, {
        key: timer.key,
        complaintId,
        kind: timer.kind,
        stage: timer.stage,
        clockStartedAt: timer.clockStartedAt,
        deadlineAt: timer.clockStartedAt,
        dueAt: timer.clockStartedAt,
        subjectId: null,
        stageEndedAt: null,
        zone: timer.zone,
        plannedVersion: version,
        calendarVersion,
        policyVersion,
        status: 'waiting',
        outcome: timer.reason,
      });
      continue;
    }
    row.plannedVersion = version;
    // the reason is not written again: one dropped and waiting again keeps the outcome it had
    if (row.status === 'dropped' || row.status === 'waiting') row.status = 'waiting';
  }
  return touched;
}

/** One event of the page, parsed, in log order. */
interface PageEvent {
  readonly complaintId: string;
  readonly streamVersion: bigint;
  /** The complaint's first event (isFirstEventOfComplaint): nothing to drop yet. */
  readonly first: boolean;
  readonly event: ComplaintEvent;
}

/** What the tables held of the page's complaints before it (none of a complaint first seen in it). */
export interface StoredPlanning {
  readonly states: ReadonlyMap<string, ComplaintState>;
  /** Every timer row of those complaints, whatever its status. */
  readonly rows: readonly TimerRow[];
}

export interface PlanningRules {
  readonly plan: (complaint: Complaint) => TimerPlan;
  readonly calendarVersion: string;
  readonly policyVersion: number;
}

interface PlannerPageWrites {
  /** Every complaint of the page as it stands after it, and its last version, in complaint order. */
  readonly states: readonly { readonly complaintId: string; readonly state: ComplaintState; readonly version: bigint }[];
  /** The rows the page changed or added, as they stand after it, in key order. */
  readonly rows: readonly TimerRow[];
}

/** The page's events folded over what was stored, each planned as the one-event handler plans it. */
export function foldPlannerPage(events: readonly PageEvent[], stored: StoredPlanning, rules: PlanningRules): PlannerPageWrites {
  const rowsOf = new Map<string, Map<string, TimerRow>>();
  for (const row of stored.rows) {
    const rows = rowsOf.get(row.complaintId) ?? new Map<string, TimerRow>();
    rows.set(row.key, { ...row });
    rowsOf.set(row.complaintId, rows);
  }
  const states = new Map<string, { state: ComplaintState; version: bigint }>();
  const touched = new Map<string, TimerRow>();
  for (const { complaintId, streamVersion, first, event } of events) {
    const before = states.get(complaintId)?.state ?? stored.states.get(complaintId) ?? complaintDecider.initialState();
    const state = complaintDecider.evolve(before, event);
    states.set(complaintId, { state, version: streamVersion });
    if (!state.submitted) continue;
    let rows = rowsOf.get(complaintId);
    if (!rows) rowsOf.set(complaintId, (rows = new Map()));
    const planning = {
      plan: rules.plan(state),
      version: streamVersion,
      calendarVersion: rules.calendarVersion,
      policyVersion: rules.policyVersion,
      planned: !first,
    };
    for (const key of planRows(rows, complaintId, planning)) touched.set(key, rows.get(key)!);
  }
  return {
    states: inKeyOrder(states).map(([complaintId, { state, version }]) => ({ complaintId, state, version })),
    rows: inKeyOrder(touched).map(([, row]) => row),
  };
}
