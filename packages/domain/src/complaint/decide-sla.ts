import type { NodeId } from '../organisation/nodes';
import type { RecordSlaBreach, RecordSlaReminder } from './commands';
import { ensure } from './errors';
import type { SlaBreachRecorded, SlaReminderRecorded } from './events';
import { ensureOpen, instant } from './guards';
import type { SlaStage } from './sla';
import type { Complaint } from './state';

// ---------------------------------------------------------------------------
// SLA reminders and breaches, recorded by the scheduler
// ---------------------------------------------------------------------------
// The scheduler owns the calendar and fires timers; decide checks that a timer still
// matters. A timer names the clock it belongs to (when that clock started), so a timer set
// for a unit that has since returned the complaint cannot blame the next unit.
//
// On closed complaints: a reminder is refused (there is nobody left to remind), but a breach
// is still recorded when the stage really was late, e.g. a complaint archived on day 5 of a
// 3-day verification, or a timer that fires after a restart. Officers count late handling in
// the yearly recap whether or not the complaint has closed since; refusing the record would
// make late work vanish from the statistics.

type Clock = { startedAt: string; metAt: string | null; nodeId: NodeId };

/** The clock now running (or run) for a stage, or null when the stage has none. */
function clockFor(complaint: Complaint, stage: SlaStage): Clock | null {
  switch (stage) {
    case 'verification':
      return {
        startedAt: complaint.receivedAt,
        metAt: complaint.verificationDecidedAt,
        nodeId: complaint.verificationDecidedBy ?? complaint.holder.id,
      };
    case 'first_follow_up':
      if (!complaint.assignedUnit || !complaint.assignedAt) return null;
      return { startedAt: complaint.assignedAt, metAt: complaint.firstFollowUpAt, nodeId: complaint.assignedUnit.id };
    case 'completion':
      if (!complaint.assignedUnit || !complaint.assignedAt) return null;
      // The unit has done its part once its latest follow-up stands unanswered: what remains
      // is the reporter's quiet period before the auto-close, not the unit's delay.
      return {
        startedAt: complaint.assignedAt,
        metAt: complaint.lastFollowUp && !complaint.replyPending ? complaint.lastFollowUp.at : null,
        nodeId: complaint.assignedUnit.id,
      };
    default: {
      const unhandled: never = stage;
      return unhandled;
    }
  }
}

function currentClock(command: RecordSlaReminder | RecordSlaBreach, complaint: Complaint): Clock {
  const { data } = command;
  ensure(command.metadata.actor.role === 'system', 'ROLE_NOT_ALLOWED', 'SLA records come from the scheduler.');
  const clock = clockFor(complaint, data.stage);
  ensure(clock !== null && instant(clock.startedAt) === instant(data.clockStartedAt), 'STALE_SLA_TIMER');
  const record = command.type === 'RecordSlaReminder' ? 'reminder' : 'breach';
  ensure(
    !complaint.slaRecords.some((r) => r.record === record && r.stage === data.stage && instant(r.clockStartedAt) === instant(data.clockStartedAt)),
    'ALREADY_RECORDED',
  );
  return clock;
}

export function recordReminder(command: RecordSlaReminder, complaint: Complaint): SlaReminderRecorded[] {
  const { data, metadata } = command;
  ensureOpen(complaint);
  const clock = currentClock(command, complaint);
  ensure(clock.metAt === null, 'STAGE_ALREADY_MET');
  ensure(instant(metadata.now) < instant(data.dueAt), 'PAST_DUE');

  return [
    {
      type: 'SlaReminderRecorded',
      schemaVersion: 1,
      data: {
        stage: data.stage,
        clockStartedAt: data.clockStartedAt,
        dueAt: data.dueAt,
        nodeId: clock.nodeId,
        at: metadata.now,
        by: metadata.actor,
      },
    },
  ];
}

export function recordBreach(command: RecordSlaBreach, complaint: Complaint): SlaBreachRecorded[] {
  const { data, metadata } = command;
  const clock = currentClock(command, complaint);
  ensure(clock.metAt === null || instant(clock.metAt) > instant(data.dueAt), 'STAGE_ALREADY_MET');
  ensure(instant(metadata.now) >= instant(data.dueAt), 'NOT_YET_DUE');
  ensure(Number.isInteger(data.workingDaysLate) && data.workingDaysLate >= 1, 'INVALID_LATENESS');

  return [
    {
      type: 'SlaBreachRecorded',
      schemaVersion: 1,
      data: {
        stage: data.stage,
        clockStartedAt: data.clockStartedAt,
        dueAt: data.dueAt,
        nodeId: clock.nodeId,
        workingDaysLate: data.workingDaysLate,
        at: metadata.now,
        by: metadata.actor,
      },
    },
  ];
}
