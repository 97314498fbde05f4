import { z } from 'zod';
import type { NodeId, NodeRef } from '../organisation/nodes';
import type { SlaClass, SlaStage } from './sla';
import type { ArchiveReason, Channel, ComplaintKind } from './values';

// ---------------------------------------------------------------------------
// Status as users see it
// ---------------------------------------------------------------------------

/**
 * - BELUM_TERVERIFIKASI: with an administrator (nasional or instansi), not yet at a unit. A
 *   complaint an admin has verified but not yet disposed to a unit still shows this: the
 *   recap's next column, Belum Ditindaklanjuti, means "disposed to the unit".
 * - BELUM_DITINDAKLANJUTI: with a unit, which has not followed it up yet.
 * - PROSES: the unit holding it has followed it up.
 * - SELESAI: completed (auto-closed after a follow-up, or an aspiration answered).
 * - TUNDA: waiting for missing data from the reporter.
 * - ARSIP: archived.
 */
export const ComplaintStatus = z.enum(['BELUM_TERVERIFIKASI', 'BELUM_DITINDAKLANJUTI', 'PROSES', 'SELESAI', 'TUNDA', 'ARSIP']);
export type ComplaintStatus = z.infer<typeof ComplaintStatus>;

export const STATUS_LABELS: Readonly<Record<ComplaintStatus, string>> = {
  BELUM_TERVERIFIKASI: 'Belum Terverifikasi',
  BELUM_DITINDAKLANJUTI: 'Belum Ditindaklanjuti',
  PROSES: 'Proses',
  SELESAI: 'Selesai',
  TUNDA: 'Tunda',
  ARSIP: 'Arsip',
};

// ---------------------------------------------------------------------------
// The complaint as decide needs it
// ---------------------------------------------------------------------------

/**
 * One hand-off: a disposition down the tree, a return (Bukan Wewenang) up it, or a succession to
 * the unit that took over from a merged or split one (across the tree, inside one instansi).
 */
export type Hop = {
  type: 'disposition' | 'return' | 'succession';
  from: NodeId;
  to: NodeId;
  at: string;
  /** The return's reason, or the disposition's note. */
  reason: string | null;
};

export type FollowUpEntry = { followUpId: string; unitId: NodeId; at: string };

export type SlaRecordEntry = { record: 'reminder' | 'breach'; stage: SlaStage; clockStartedAt: string };

export type NotSubmitted = { submitted: false };

export type Complaint = {
  submitted: true;
  complaintId: string;
  trackingId: string;
  kind: ComplaintKind;
  channel: Channel;
  status: ComplaintStatus;

  anonymous: boolean;
  confidential: boolean;
  /** What the reporter asked for at submission; verification may add protection, not lift it. */
  requestedProtection: { anonymous: boolean; confidential: boolean };
  reporterRef: string | null;

  /** The door it came in by. */
  addressedTo: NodeRef;
  /** Who has it now: an admin's node, or a unit / sub-unit. */
  holder: NodeRef;
  /** The instansi responsible, once the complaint is inside one. */
  instansiId: NodeId | null;
  /** The holder when it is a unit or sub-unit. */
  assignedUnit: NodeRef | null;
  /** When the assigned unit received it (disposition, or a sub-unit's return). */
  assignedAt: string | null;
  tembusan: NodeId[];
  hops: Hop[];

  /** Every follow-up by any unit, in order. */
  followUps: FollowUpEntry[];
  /** The latest follow-up by the unit holding it now; a new holder starts without one. */
  lastFollowUp: FollowUpEntry | null;
  /** The reporter's side replied after the last follow-up: the unit answers next. */
  replyPending: boolean;

  /** The open Tunda request. */
  openRequest: { requestId: string; at: string } | null;

  slaClass: SlaClass | null;
  category: string | null;
  rating: number | null;
  archiveReason: ArchiveReason | null;
  slaRecords: SlaRecordEntry[];

  // Moments the statistics and the SLA clocks need.
  receivedAt: string;
  verifiedAt: string | null;
  /** The first verification decision: verified, Tunda, archived or answered. */
  verificationDecidedAt: string | null;
  /** The node that took that decision (the holder when the scheduler archived). */
  verificationDecidedBy: NodeId | null;
  /** The first follow-up by the unit holding it now. */
  firstFollowUpAt: string | null;
  completedAt: string | null;
  archivedAt: string | null;
};

export type ComplaintState = NotSubmitted | Complaint;

export const initialState = (): ComplaintState => ({ submitted: false });

export const isClosed = (complaint: Complaint): boolean => complaint.status === 'ARSIP' || complaint.status === 'SELESAI';
