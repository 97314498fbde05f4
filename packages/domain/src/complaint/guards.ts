import type { ComplaintCommand } from './commands';
import { ensure } from './errors';
import type { Complaint, ComplaintState } from './state';
import { isClosed } from './state';
import type { Actor, EnteredVia } from './values';
import { HANDLING_ROLE } from './values';

// Checks more than one decider needs. Each throws a DomainError with the rule's code.

/** The complaint the command is about; it must exist and be the one named. */
export function existingComplaint(state: ComplaintState, command: ComplaintCommand): Complaint {
  ensure(state.submitted, 'COMPLAINT_NOT_FOUND');
  ensure(state.complaintId === command.data.complaintId, 'COMPLAINT_MISMATCH');
  return state;
}

export function ensureOpen(complaint: Complaint): void {
  ensure(!isClosed(complaint), 'COMPLAINT_CLOSED', `It is ${complaint.status}.`);
}

export function ensureNotPostponed(complaint: Complaint): void {
  ensure(complaint.status !== 'TUNDA', 'COMPLAINT_POSTPONED');
}

/** The actor works for the node holding the complaint, in the role that handles it there. */
export const isHolder = (actor: Actor, complaint: Complaint): boolean =>
  actor.nodeId === complaint.holder.id && actor.role === HANDLING_ROLE[complaint.holder.kind];

/**
 * Verification decisions (verify, Tunda, archive, answer) belong to the administrator holding
 * the complaint. Once a unit has it, the way back is the unit's Bukan Wewenang.
 */
export function ensureAdminHolder(actor: Actor, complaint: Complaint): void {
  ensure(complaint.assignedUnit === null, 'ALREADY_WITH_UNIT');
  ensure(isHolder(actor, complaint), 'NOT_HOLDER');
}

/** The reporter, recognised by the opaque reference recorded at submission. */
export const isReporter = (actor: Actor, complaint: Complaint): boolean =>
  actor.role === 'reporter' && complaint.reporterRef !== null && actor.id === complaint.reporterRef;

export const instant = (iso: string): number => Date.parse(iso);

/**
 * The channel recorded on what is said on the reporter's side: none when the reporter acts
 * themselves, and always one when an admin types in what came by letter, visit or call, so the
 * record tells the reporter's words from the admin's. Role checks come first; this is the mark.
 */
export function enteredViaFor(actor: Actor, enteredVia: EnteredVia | null | undefined): EnteredVia | null {
  if (actor.role === 'reporter') {
    ensure(enteredVia === undefined || enteredVia === null, 'ENTERED_VIA_ONLY_FOR_STAFF');
    return null;
  }
  ensure(enteredVia !== undefined && enteredVia !== null, 'ENTERED_VIA_REQUIRED');
  return enteredVia;
}
