import type { AnswerAspiration, ArchiveComplaint, RequestMissingData, SupplyMissingData, VerifyComplaint } from './commands';
import { DomainError, ensure } from './errors';
import type { AspirationAnswered, ComplaintArchived, ComplaintCompleted, ComplaintVerified, MissingDataRequested, MissingDataSupplied } from './events';
import { ensureAdminHolder, ensureNotPostponed, ensureOpen, enteredViaFor, isHolder, isReporter } from './guards';
import type { Complaint } from './state';

// ---------------------------------------------------------------------------
// Telaah dan verifikasi: verify, Tunda, archive, answer an aspiration
// ---------------------------------------------------------------------------

export function verify(command: VerifyComplaint, complaint: Complaint): ComplaintVerified[] {
  const { data, metadata } = command;
  ensureOpen(complaint);
  ensureNotPostponed(complaint);
  ensure(complaint.verifiedAt === null, 'ALREADY_VERIFIED');
  ensureAdminHolder(metadata.actor, complaint);
  ensure(complaint.kind !== 'wbs' || data.confidential, 'WBS_MUST_BE_CONFIDENTIAL');
  // The verifier may protect a reporter more than they asked, never less: lifting anonymity
  // would show a name to the unit the reporter complained about.
  const requested = complaint.requestedProtection;
  ensure((!requested.anonymous || data.anonymous) && (!requested.confidential || data.confidential), 'CANNOT_LOWER_PROTECTION');

  return [
    {
      type: 'ComplaintVerified',
      schemaVersion: 1,
      data: {
        slaClass: data.slaClass,
        category: data.category,
        anonymous: data.anonymous,
        confidential: data.confidential,
        note: data.note,
        at: metadata.now,
        by: metadata.actor,
      },
    },
  ];
}

export function requestMissingData(command: RequestMissingData, complaint: Complaint): MissingDataRequested[] {
  const { data, metadata } = command;
  ensureOpen(complaint);
  ensure(complaint.status !== 'TUNDA', 'ALREADY_POSTPONED');
  ensureAdminHolder(metadata.actor, complaint);

  return [
    {
      type: 'MissingDataRequested',
      schemaVersion: 1,
      data: { requestId: data.requestId, message: data.message, at: metadata.now, by: metadata.actor },
    },
  ];
}

/** The reporter answers a Tunda, or the holding admin types in what came by letter or phone. */
export function supplyMissingData(command: SupplyMissingData, complaint: Complaint): MissingDataSupplied[] {
  const { data, metadata } = command;
  const { actor } = metadata;
  ensureOpen(complaint);
  ensure(complaint.status === 'TUNDA' && complaint.openRequest !== null, 'NOT_POSTPONED');
  if (actor.role === 'reporter') ensure(isReporter(actor, complaint), 'NOT_REPORTER');
  else if (actor.role === 'admin_nasional' || actor.role === 'admin_instansi') ensure(isHolder(actor, complaint), 'NOT_HOLDER');
  else throw new DomainError('ROLE_NOT_ALLOWED');
  const enteredVia = enteredViaFor(actor, data.enteredVia);

  return [
    {
      type: 'MissingDataSupplied',
      schemaVersion: 2,
      data: {
        requestId: complaint.openRequest.requestId,
        message: data.message,
        attachments: data.attachments,
        enteredVia,
        at: metadata.now,
        by: actor,
      },
    },
  ];
}

export function archive(command: ArchiveComplaint, complaint: Complaint): ComplaintArchived[] {
  const { data, metadata } = command;
  const { actor } = metadata;
  ensureOpen(complaint);

  // The timeout archive belongs to the scheduler alone, and the scheduler does nothing else
  // here: an admin who gives up on missing data says so with INCOMPLETE.
  const isTimeout = data.reason === 'MISSING_DATA_TIMEOUT';
  if (isTimeout || actor.role === 'system') {
    ensure(isTimeout && actor.role === 'system', 'ROLE_NOT_ALLOWED', 'Only the scheduler archives for MISSING_DATA_TIMEOUT.');
    ensure(complaint.status === 'TUNDA' && complaint.openRequest !== null, 'NOT_POSTPONED');
    // A timer for an earlier request (answered since, then asked again) must not fire.
    ensure(complaint.openRequest.requestId === data.missingDataRequestId, 'STALE_REQUEST');
  } else {
    ensureAdminHolder(actor, complaint);
    ensure(data.reason !== 'OTHER' || (data.note ?? '').trim() !== '', 'NOTE_REQUIRED');
  }

  return [
    {
      type: 'ComplaintArchived',
      schemaVersion: 1,
      data: {
        reason: data.reason,
        note: data.note,
        missingDataRequestId: isTimeout ? data.missingDataRequestId : null,
        at: metadata.now,
        by: actor,
      },
    },
  ];
}

/** An aspiration may be answered by the admin holding it; that answer completes it. */
export function answerAspiration(command: AnswerAspiration, complaint: Complaint): [AspirationAnswered, ComplaintCompleted] {
  const { data, metadata } = command;
  ensureOpen(complaint);
  ensureNotPostponed(complaint);
  ensure(complaint.kind === 'aspirasi', 'NOT_AN_ASPIRATION');
  ensureAdminHolder(metadata.actor, complaint);

  const at = metadata.now;
  const by = metadata.actor;
  return [
    { type: 'AspirationAnswered', schemaVersion: 1, data: { answer: data.answer, category: data.category ?? complaint.category, at, by } },
    { type: 'ComplaintCompleted', schemaVersion: 1, data: { completion: 'ASPIRATION_ANSWERED', lastFollowUpId: null, at, by } },
  ];
}
