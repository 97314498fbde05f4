import type { CompleteComplaint, PostFollowUp, RateHandling, ReplyToFollowUp } from './commands';
import { DomainError, ensure } from './errors';
import type { ComplaintCompleted, FollowUpPosted, HandlingRated, ReporterReplied } from './events';
import { ensureOpen, enteredViaFor, isReporter } from './guards';
import type { Complaint } from './state';

// ---------------------------------------------------------------------------
// Tindak lanjut, the conversation with the reporter, completion and rating
// ---------------------------------------------------------------------------

export function postFollowUp(command: PostFollowUp, complaint: Complaint): FollowUpPosted[] {
  const { data, metadata } = command;
  const { actor } = metadata;
  ensureOpen(complaint);
  ensure(complaint.assignedUnit !== null, 'NOT_DISPOSED');
  const unit = complaint.assignedUnit;
  ensure(actor.role === 'liaison' && actor.nodeId === unit.id, 'NOT_ASSIGNED_UNIT');
  ensure(!complaint.followUps.some((f) => f.followUpId === data.followUpId), 'DUPLICATE_FOLLOW_UP');

  return [
    {
      type: 'FollowUpPosted',
      schemaVersion: 2,
      data: {
        followUpId: data.followUpId,
        unitId: unit.id,
        message: data.message,
        attachments: data.attachments,
        at: metadata.now,
        by: actor,
      },
    },
  ];
}

/**
 * The reporter answers a follow-up, or an admin answers on the reporter's side (a reply that
 * came by letter, or the admin's own remark). Either way the unit owes the next word, and the
 * auto-close clock waits for it.
 */
export function replyToFollowUp(command: ReplyToFollowUp, complaint: Complaint): ReporterReplied[] {
  const { data, metadata } = command;
  const { actor } = metadata;
  ensureOpen(complaint);
  switch (actor.role) {
    case 'reporter':
      ensure(isReporter(actor, complaint), 'NOT_REPORTER');
      break;
    case 'admin_nasional':
      break;
    case 'admin_instansi':
      ensure(actor.nodeId === complaint.instansiId, 'OUTSIDE_SCOPE');
      break;
    case 'liaison':
    case 'integration':
    case 'system':
      throw new DomainError('ROLE_NOT_ALLOWED', 'Units answer with a follow-up.');
    default: {
      const unhandled: never = actor;
      return unhandled;
    }
  }
  const enteredVia = enteredViaFor(actor, data.enteredVia);
  ensure(complaint.lastFollowUp !== null, 'NO_FOLLOW_UP');

  return [
    {
      type: 'ReporterReplied',
      schemaVersion: 2,
      data: {
        replyId: data.replyId,
        followUpId: complaint.lastFollowUp.followUpId,
        message: data.message,
        attachments: data.attachments,
        enteredVia,
        at: metadata.now,
        by: actor,
      },
    },
  ];
}

/**
 * The scheduler's auto-close, once the quiet period after a follow-up has run out (it counts
 * the working days; decide cannot). The command names the follow-up its timer started from,
 * so a timer from an older follow-up cannot close the conversation early.
 */
export function complete(command: CompleteComplaint, complaint: Complaint): ComplaintCompleted[] {
  const { data, metadata } = command;
  ensureOpen(complaint);
  ensure(metadata.actor.role === 'system', 'ROLE_NOT_ALLOWED', 'Completion is the scheduler’s auto-close.');
  ensure(complaint.lastFollowUp !== null, 'NO_FOLLOW_UP');
  ensure(!complaint.replyPending, 'REPLY_PENDING');
  ensure(complaint.lastFollowUp.followUpId === data.lastFollowUpId, 'STALE_FOLLOW_UP');

  return [
    {
      type: 'ComplaintCompleted',
      schemaVersion: 1,
      data: { completion: 'AUTO_CLOSE', lastFollowUpId: data.lastFollowUpId, at: metadata.now, by: metadata.actor },
    },
  ];
}

/**
 * The reporter rates the handling once it is completed. A reporter who came on paper, in person
 * or by phone has no reference to act with, so an admin over the complaint records their rating
 * for them, marked with the channel it came by; where the reporter can act, only they rate: a
 * rating is the citizen's judgement of the institution, not the institution's of itself.
 */
export function rate(command: RateHandling, complaint: Complaint): HandlingRated[] {
  const { data, metadata } = command;
  const { actor } = metadata;
  ensure(complaint.status === 'SELESAI', 'NOT_COMPLETED');
  switch (actor.role) {
    case 'reporter':
      ensure(isReporter(actor, complaint), 'NOT_REPORTER');
      break;
    case 'admin_nasional':
    case 'admin_instansi':
      if (actor.role === 'admin_instansi') ensure(actor.nodeId === complaint.instansiId, 'OUTSIDE_SCOPE');
      ensure(complaint.reporterRef === null, 'REPORTER_CAN_ACT');
      break;
    case 'liaison':
    case 'integration':
    case 'system':
      throw new DomainError('NOT_REPORTER');
    default: {
      const unhandled: never = actor;
      return unhandled;
    }
  }
  const enteredVia = enteredViaFor(actor, data.enteredVia);
  ensure(complaint.rating === null, 'ALREADY_RATED');
  ensure(Number.isInteger(data.rating) && data.rating >= 1 && data.rating <= 5, 'INVALID_RATING');

  return [
    {
      type: 'HandlingRated',
      schemaVersion: 2,
      data: { rating: data.rating, comment: data.comment, enteredVia, at: metadata.now, by: actor },
    },
  ];
}
