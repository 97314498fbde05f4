import type { Calendar, IndonesianZone } from '@lapor/calendar';
import type { Actor, ComplaintCommand } from '@lapor/domain';
import type { PlannedTimer } from './timers';

/** The scheduler acts as the system actor. */
export const SCHEDULER_ACTOR: Actor = { role: 'system', id: 'scheduler', nodeId: null };

/**
 * The id of the command a timer runs, and so of the event it appends (event ids follow from it).
 * It is the timer's alone, whatever version of the complaint it is decided on: a sweeper that
 * crashed after the append, or that decided again after the complaint moved, appends the same
 * event, and the store keeps one copy. A timer appends at most once, so the id is never reused.
 */
export const timerCommandId = (timer: Pick<PlannedTimer, 'key'>): string => `timer:${timer.key}`;

/**
 * The command a due timer runs through the decider. The decider has the last word: a timer whose
 * moment has passed (the stage met, the request answered, a reply came) is refused there.
 */
export function commandFor(timer: PlannedTimer, now: Date, calendar: Calendar): ComplaintCommand {
  const metadata = { now: now.toISOString(), actor: SCHEDULER_ACTOR };
  const complaintId = timer.complaintId;
  switch (timer.kind) {
    case 'reminder':
      return {
        type: 'RecordSlaReminder',
        data: { complaintId, stage: slaStage(timer), clockStartedAt: timer.clockStartedAt, dueAt: timer.deadlineAt },
        metadata,
      };
    case 'breach':
      return {
        type: 'RecordSlaBreach',
        data: {
          complaintId,
          stage: slaStage(timer),
          clockStartedAt: timer.clockStartedAt,
          dueAt: timer.deadlineAt,
          // a stage that ended late was late until it ended, not until the scheduler noticed
          workingDaysLate: workingDaysLate(timer.deadlineAt, timer.stageEndedAt ? new Date(timer.stageEndedAt) : now, calendar, timer.zone),
        },
        metadata,
      };
    case 'auto_archive':
      return { type: 'ArchiveComplaint', data: { complaintId, reason: 'MISSING_DATA_TIMEOUT', note: null, missingDataRequestId: timer.subjectId }, metadata };
    case 'auto_close':
      return { type: 'CompleteComplaint', data: { complaintId, lastFollowUpId: timer.subjectId! }, metadata };
  }
}

const slaStage = (timer: PlannedTimer) => {
  if (timer.stage === 'missing_data' || timer.stage === 'quiet_after_follow_up') throw new Error(`not an SLA timer: ${timer.key}`);
  return timer.stage;
};

/**
 * Working days late, at least 1: the deadline is the end of its working day, so a breach is seen
 * on a later day; fired on a holiday or the same night, it still counts as one day late.
 */
export const workingDaysLate = (deadlineAt: string, now: Date, calendar: Calendar, zone: IndonesianZone): number =>
  Math.max(1, calendar.workingDaysBetween(new Date(deadlineAt), now, zone));
