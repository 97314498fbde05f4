import { CalendarDataMissingError, type Calendar, type IndonesianZone } from '@lapor/calendar';
import { isClosed, slaPolicyFor, type Complaint, type ComplaintClock, type SlaConfiguration, type SlaStage } from '@lapor/domain';

// The timers a complaint's state calls for, derived again after every event. A timer is named by
// what it is about (kind, stage, and when its clock started), so deriving it twice gives the same
// key: the table keeps the first deadline it was given, and a later calendar or policy only
// shapes timers not planned yet.

export type TimerKind = 'reminder' | 'breach' | 'auto_archive' | 'auto_close';

export interface PlannedTimer {
  /** complaint, kind, stage and clock start: the same timer always has the same key. */
  readonly key: string;
  readonly complaintId: string;
  readonly kind: TimerKind;
  /** The SLA stage, or what the automatic step is about. */
  readonly stage: SlaStage | 'missing_data' | 'quiet_after_follow_up';
  /** When the clock this timer belongs to started. */
  readonly clockStartedAt: string;
  /** For a breach: the deadline. For a reminder: the deadline it warns of. */
  readonly deadlineAt: string;
  /** When it fires. */
  readonly dueAt: string;
  /** What the automatic step needs to name (the open request, the last follow-up). */
  readonly subjectId: string | null;
  /** For a breach of a stage that already ended (late): when it ended, what lateness counts to. */
  readonly stageEndedAt: string | null;
  /** The zone its clock counts working days in (@lapor/domain `clockZoneOf`). */
  readonly zone: IndonesianZone;
}

/** A timer the rules call for whose deadline cannot be counted yet: its year has no decree loaded. */
export interface WaitingTimer {
  readonly key: string;
  readonly complaintId: string;
  readonly kind: TimerKind;
  readonly stage: PlannedTimer['stage'];
  readonly clockStartedAt: string;
  readonly zone: IndonesianZone;
  /** e.g. CALENDAR_YEAR_MISSING 2027 */
  readonly reason: string;
}

export interface TimerPlan {
  readonly timers: PlannedTimer[];
  readonly waiting: WaitingTimer[];
}

export interface PlanningRules {
  readonly policy: SlaConfiguration;
  readonly calendar: Calendar;
  /** The zone each clock counts in: the domain's `clockZoneOf` for the complaint and the tree. */
  readonly zoneOf: (clock: ComplaintClock) => IndonesianZone;
}

/** Reminders go out at the start of the working day, 08:00 local, not at midnight. */
const REMINDER_HOUR = 8;

const keyOf = (complaintId: string, kind: TimerKind, stage: string, clockStartedAt: string): string =>
  `${complaintId}:${kind}:${stage}:${new Date(clockStartedAt).toISOString()}`;

/** Every timer the complaint needs now, as `planTimers` counts them, leaving out those still waiting for a calendar year. */
export const plannedTimers = (complaint: Complaint, rules: PlanningRules): PlannedTimer[] => planTimers(complaint, rules).timers;

/** When the stage was met: verified; followed up; the latest follow-up stands unanswered. */
function stageMetAt(complaint: Complaint, stage: SlaStage): string | null {
  switch (stage) {
    case 'verification':
      return complaint.verificationDecidedAt;
    case 'first_follow_up':
      return complaint.firstFollowUpAt;
    case 'completion':
      return complaint.lastFollowUp && !complaint.replyPending ? complaint.lastFollowUp.at : null;
    default: {
      const unhandled: never = stage;
      return unhandled;
    }
  }
}

/** The stage ended when it was met, or when the complaint closed without meeting it. */
const stageEndedAt = (complaint: Complaint, stage: SlaStage): string | null =>
  stageMetAt(complaint, stage) ?? (isClosed(complaint) ? (complaint.completedAt ?? complaint.archivedAt) : null);

/**
 * Every timer the complaint needs now. A breach timer stays wanted when its stage was met after
 * its deadline and no breach is recorded yet (a scheduler that was down still records it); a
 * reminder while the stage is open (whether its moment has passed is the decider's to say). A
 * deadline in a year the calendar has no decree for does not stop the others: that timer waits.
 */
export function planTimers(complaint: Complaint, rules: PlanningRules): TimerPlan {
  const timers: PlannedTimer[] = [];
  const waiting: WaitingTimer[] = [];
  const { policy, calendar } = rules;
  /** Runs one timer's planning; a missing calendar year parks it instead of failing them all. */
  const orWait = (kind: TimerKind, stage: PlannedTimer['stage'], clockStartedAt: string, plan: (zone: IndonesianZone) => void): void => {
    const zone = rules.zoneOf(stage);
    try {
      plan(zone);
    } catch (error) {
      if (!(error instanceof CalendarDataMissingError)) throw error;
      waiting.push({
        key: keyOf(complaint.complaintId, kind, stage, clockStartedAt),
        complaintId: complaint.complaintId,
        kind,
        stage,
        clockStartedAt,
        zone,
        reason: `${error.code} ${error.year}`,
      });
    }
  };
  const recorded = (record: 'reminder' | 'breach', stage: SlaStage, clockStartedAt: string): boolean =>
    complaint.slaRecords.some((entry) => entry.record === record && entry.stage === stage && Date.parse(entry.clockStartedAt) === Date.parse(clockStartedAt));

  const stageTimers = (stage: SlaStage, startedAt: string, workingDays: number, remindBefore: number | null): void => {
    const metAt = stageMetAt(complaint, stage);
    const endedAt = stageEndedAt(complaint, stage);
    orWait('breach', stage, startedAt, (zone) => {
      const deadlineAt = calendar.deadlineIso(new Date(startedAt), workingDays, zone);
      if ((endedAt === null || Date.parse(endedAt) > Date.parse(deadlineAt)) && !recorded('breach', stage, startedAt)) {
        timers.push({
          key: keyOf(complaint.complaintId, 'breach', stage, startedAt),
          complaintId: complaint.complaintId,
          kind: 'breach',
          stage,
          clockStartedAt: startedAt,
          deadlineAt,
          dueAt: deadlineAt,
          subjectId: null,
          stageEndedAt: endedAt,
          zone,
        });
      }
    });
    if (remindBefore !== null && metAt === null && !isClosed(complaint) && !recorded('reminder', stage, startedAt)) {
      orWait('reminder', stage, startedAt, (zone) => {
        const deadline = calendar.deadlineIso(new Date(startedAt), workingDays, zone);
        const remindAt = calendar.subtractWorkingDaysIso(deadline, remindBefore, zone, REMINDER_HOUR);
        timers.push({
          key: keyOf(complaint.complaintId, 'reminder', stage, startedAt),
          complaintId: complaint.complaintId,
          kind: 'reminder',
          stage,
          clockStartedAt: startedAt,
          deadlineAt: deadline,
          dueAt: remindAt,
          subjectId: null,
          stageEndedAt: null,
          zone,
        });
      });
    }
  };

  // Telaah dan verifikasi: from receipt, until the first decision.
  stageTimers('verification', complaint.receivedAt, policy.verificationWorkingDays, null);
  // The unit's first follow-up and its completion: from the moment the unit received it.
  if (complaint.assignedUnit && complaint.assignedAt) {
    stageTimers('first_follow_up', complaint.assignedAt, policy.firstFollowUpWorkingDays, null);
    if (complaint.slaClass) {
      const sla = slaPolicyFor(complaint.slaClass, policy);
      stageTimers('completion', complaint.assignedAt, sla.completionWorkingDays, sla.reminderWorkingDaysBefore);
    }
  }
  // Tunda: archived when the reporter gives nothing within the period.
  if (complaint.status === 'TUNDA' && complaint.openRequest) {
    const { requestId, at } = complaint.openRequest;
    orWait('auto_archive', 'missing_data', at, (zone) => {
      const dueAt = calendar.deadlineIso(new Date(at), policy.missingDataWorkingDays, zone);
      timers.push({
        key: keyOf(complaint.complaintId, 'auto_archive', 'missing_data', at),
        complaintId: complaint.complaintId,
        kind: 'auto_archive',
        stage: 'missing_data',
        clockStartedAt: at,
        deadlineAt: dueAt,
        dueAt,
        subjectId: requestId,
        stageEndedAt: null,
        zone,
      });
    });
  }
  // A follow-up nobody answers closes the complaint (a reply, then a new follow-up, restarts it).
  if (!isClosed(complaint) && complaint.lastFollowUp && !complaint.replyPending) {
    const { followUpId, at } = complaint.lastFollowUp;
    orWait('auto_close', 'quiet_after_follow_up', at, (zone) => {
      const dueAt = calendar.deadlineIso(new Date(at), policy.autoCloseWorkingDays, zone);
      timers.push({
        key: keyOf(complaint.complaintId, 'auto_close', 'quiet_after_follow_up', at),
        complaintId: complaint.complaintId,
        kind: 'auto_close',
        stage: 'quiet_after_follow_up',
        clockStartedAt: at,
        deadlineAt: dueAt,
        dueAt,
        subjectId: followUpId,
        stageEndedAt: null,
        zone,
      });
    });
  }
  return { timers, waiting };
}

const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/**
 * A planned timer as the complaint stands now, its deadline untouched. What it depends on may
 * have changed since it was planned: a breach's stage may have ended (lateness counts to there),
 * and the follow-up or request its clock started from is named again from the complaint (a timer
 * that waited for its calendar year was stored without it). A clock that no longer runs keeps
 * what it had, and the decider refuses it.
 */
export function timerOn(timer: PlannedTimer, complaint: Complaint): PlannedTimer {
  switch (timer.kind) {
    case 'reminder':
      return timer;
    case 'breach':
      return timer.stage === 'missing_data' || timer.stage === 'quiet_after_follow_up'
        ? timer
        : { ...timer, stageEndedAt: stageEndedAt(complaint, timer.stage) };
    case 'auto_close': {
      const followUp = complaint.lastFollowUp;
      return followUp && sameInstant(followUp.at, timer.clockStartedAt) ? { ...timer, subjectId: followUp.followUpId } : timer;
    }
    case 'auto_archive': {
      const request = complaint.openRequest;
      return request && sameInstant(request.at, timer.clockStartedAt) ? { ...timer, subjectId: request.requestId } : timer;
    }
    default: {
      const unhandled: never = timer.kind;
      return unhandled;
    }
  }
}
