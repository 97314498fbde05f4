import { canBeChildOf, isUnitKind } from '../organisation/nodes';
import type { DisposeComplaint, HandOverToSuccessor, ReturnComplaint } from './commands';
import { ensure } from './errors';
import type { ComplaintDisposed, ComplaintHandedOver, ComplaintReturned } from './events';
import { ensureNotPostponed, ensureOpen, isHolder } from './guards';
import type { Complaint } from './state';

// ---------------------------------------------------------------------------
// Hand-offs: disposition down the tree, Bukan Wewenang one level up
// ---------------------------------------------------------------------------
// A complaint moves one edge of the tree at a time, so every hop has a sender that held it
// and a receiver that answers for it: nothing skips a level, and nothing is lost.

export function dispose(command: DisposeComplaint, complaint: Complaint): ComplaintDisposed[] {
  const { data, metadata } = command;
  const { holder } = complaint;
  ensureOpen(complaint);
  ensureNotPostponed(complaint);
  ensure(complaint.verifiedAt !== null, 'NOT_VERIFIED');
  ensure(isHolder(metadata.actor, complaint), 'NOT_HOLDER');
  ensure(data.to.parentId === holder.id && canBeChildOf(data.to.kind, holder.kind), 'NOT_DIRECTLY_BELOW');
  // Copies inform other bodies; the holder and the target have the complaint itself.
  ensure(new Set(data.tembusan).size === data.tembusan.length && !data.tembusan.includes(holder.id) && !data.tembusan.includes(data.to.id), 'INVALID_TEMBUSAN');
  const slaClass = data.slaClass ?? complaint.slaClass;
  ensure(slaClass !== null, 'NOT_VERIFIED');

  return [
    {
      type: 'ComplaintDisposed',
      schemaVersion: 1,
      data: {
        from: holder,
        to: data.to,
        tembusan: data.tembusan,
        slaClass,
        note: data.note,
        at: metadata.now,
        by: metadata.actor,
      },
    },
  ];
}

/**
 * Bukan Wewenang, at every level: a sub-unit to its unit, a unit to its instansi, an instansi
 * to nasional. Allowed before verification too (an instansi that was addressed by mistake
 * need not verify what it cannot handle) and after a follow-up (a unit may find out late).
 */
export function returnComplaint(command: ReturnComplaint, complaint: Complaint): ComplaintReturned[] {
  const { data, metadata } = command;
  const { holder } = complaint;
  ensureOpen(complaint);
  ensureNotPostponed(complaint);
  ensure(isHolder(metadata.actor, complaint), 'NOT_HOLDER');
  ensure(holder.parentId !== null, 'AT_TOP_LEVEL');
  ensure(data.to.id === holder.parentId && canBeChildOf(holder.kind, data.to.kind), 'NOT_PARENT');
  ensure(data.reason.trim() !== '', 'REASON_REQUIRED');

  return [
    {
      type: 'ComplaintReturned',
      schemaVersion: 1,
      data: { from: holder, to: data.to, reason: data.reason, at: metadata.now, by: metadata.actor },
    },
  ];
}

/**
 * A restructuring's hand-over: the holder was merged or split away and the organisation names its
 * successor. Only the system does this (administration's succession reactor, following the tree),
 * and only while the complaint is still with the unit that was restructured: a complaint that moved
 * on meanwhile is refused (NOT_HOLDER), which is what makes replaying the reactor harmless.
 */
export function handOverToSuccessor(command: HandOverToSuccessor, complaint: Complaint): ComplaintHandedOver[] {
  const { data, metadata } = command;
  ensure(metadata.actor.role === 'system', 'ROLE_NOT_ALLOWED');
  ensureOpen(complaint);
  ensure(complaint.holder.id === data.from, 'NOT_HOLDER', `It is with ${complaint.holder.id}.`);
  // Only units and sub-units are merged or split, so an instansi or nasional never has a successor:
  // a complaint still with one (unverified, say) must not be carried down the tree by a hand-over.
  ensure(isUnitKind(complaint.holder.kind), 'INVALID_SUCCESSOR', `${complaint.holder.id} is a ${complaint.holder.kind}, and only units are restructured.`);
  ensure(data.to.id !== data.from && isUnitKind(data.to.kind) && data.toInstansiId === complaint.instansiId, 'INVALID_SUCCESSOR');
  return [
    {
      type: 'ComplaintHandedOver',
      schemaVersion: 1,
      data: { from: complaint.holder, to: data.to, reason: data.reason, at: metadata.now, by: metadata.actor },
    },
  ];
}
