import { z } from 'zod';
import { ComplaintId, TrackingId } from '../ids';
import { NodeId, NodeRef } from '../organisation/nodes';
import { SlaClass, SlaStage } from './sla';
import {
  Actor,
  ArchiveReason,
  Attachments,
  Channel,
  ComplaintKind,
  EnteredVia,
  EntityId,
  IsoDateTime,
  SealedIdentity,
  ShortText,
  SuccessionReason,
  Text,
} from './values';

// Commands are what the edge asks for. They carry everything decide needs: the time
// (`metadata.now`), who asks (`metadata.actor`, authenticated at the edge), the ids the edge
// generated, and the facts it looked up in the organisation tree (NodeRef). The schemas are
// for the edge to validate input; decide enforces the business rules.

export const CommandMetadata = z.object({ now: IsoDateTime, actor: Actor });
export type CommandMetadata = z.infer<typeof CommandMetadata>;

const command = <const Type extends string, Data extends z.ZodRawShape>(type: Type, data: Data) =>
  z.object({
    type: z.literal(type),
    data: z.object({ complaintId: ComplaintId, ...data }),
    metadata: CommandMetadata,
  });

// ---------------------------------------------------------------------------
// Intake and verification
// ---------------------------------------------------------------------------

export const SubmitComplaint = command('SubmitComplaint', {
  trackingId: TrackingId,
  kind: ComplaintKind,
  channel: Channel,
  title: ShortText,
  description: Text,
  occurredOn: z.iso.date().nullable(),
  location: ShortText.nullable(),
  attachments: Attachments,
  addressedTo: NodeRef,
  reporter: SealedIdentity.nullable(),
  /** For a reporter acting themselves this is their own id; other submitters may pass one. */
  reporterRef: z.string().min(1).nullable(),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  externalReference: ShortText.nullable(),
});
export type SubmitComplaint = z.infer<typeof SubmitComplaint>;

export const VerifyComplaint = command('VerifyComplaint', {
  slaClass: SlaClass,
  category: ShortText,
  anonymous: z.boolean(),
  confidential: z.boolean(),
  note: Text.nullable(),
});
export type VerifyComplaint = z.infer<typeof VerifyComplaint>;

/** Tunda: ask the reporter for what is missing. */
export const RequestMissingData = command('RequestMissingData', { requestId: EntityId, message: Text });
export type RequestMissingData = z.infer<typeof RequestMissingData>;

/** An admin entering what a reporter brought by letter, visit or call names the channel; the reporter themselves leaves it out. */
const onTheReportersSide = { enteredVia: EnteredVia.nullable().optional() };

export const SupplyMissingData = command('SupplyMissingData', { message: Text, attachments: Attachments, ...onTheReportersSide });
export type SupplyMissingData = z.infer<typeof SupplyMissingData>;

/** Arsipkan. The scheduler uses it with MISSING_DATA_TIMEOUT and the request that ran out. */
export const ArchiveComplaint = command('ArchiveComplaint', {
  reason: ArchiveReason,
  note: Text.nullable(),
  missingDataRequestId: EntityId.nullable(),
});
export type ArchiveComplaint = z.infer<typeof ArchiveComplaint>;

export const AnswerAspiration = command('AnswerAspiration', { answer: Text, category: ShortText.nullable() });
export type AnswerAspiration = z.infer<typeof AnswerAspiration>;

// ---------------------------------------------------------------------------
// Hand-offs
// ---------------------------------------------------------------------------

export const DisposeComplaint = command('DisposeComplaint', {
  /** A node directly below the current holder. */
  to: NodeRef,
  tembusan: z.array(NodeId).max(20),
  /** Lets the admin who hands the complaint to a unit correct the class; null keeps it. */
  slaClass: SlaClass.nullable(),
  note: Text.nullable(),
});
export type DisposeComplaint = z.infer<typeof DisposeComplaint>;

/** Bukan Wewenang. `to` is the holder's parent as the edge found it in the tree. */
export const ReturnComplaint = command('ReturnComplaint', { to: NodeRef, reason: Text });
export type ReturnComplaint = z.infer<typeof ReturnComplaint>;

/**
 * The organisation's successions (administration's reactor, the system actor): the unit named in
 * `from` was merged or split, and `to` is the unit that answers for its open work now.
 */
export const HandOverToSuccessor = command('HandOverToSuccessor', {
  from: NodeId,
  to: NodeRef,
  /** The successor's instansi, as the edge found it in the tree: a restructuring stays inside one instansi. */
  toInstansiId: NodeId,
  reason: SuccessionReason,
});
export type HandOverToSuccessor = z.infer<typeof HandOverToSuccessor>;

// ---------------------------------------------------------------------------
// Follow-up, completion, rating
// ---------------------------------------------------------------------------

export const PostFollowUp = command('PostFollowUp', {
  followUpId: EntityId,
  message: Text,
  attachments: Attachments,
});
export type PostFollowUp = z.infer<typeof PostFollowUp>;

export const ReplyToFollowUp = command('ReplyToFollowUp', {
  replyId: EntityId,
  message: Text,
  attachments: Attachments,
  ...onTheReportersSide,
});
export type ReplyToFollowUp = z.infer<typeof ReplyToFollowUp>;

/** The scheduler's auto-close, naming the follow-up whose quiet period has run out. */
export const CompleteComplaint = command('CompleteComplaint', { lastFollowUpId: EntityId });
export type CompleteComplaint = z.infer<typeof CompleteComplaint>;

// The schema takes any number so that decide, not only the edge, answers INVALID_RATING.
export const RateHandling = command('RateHandling', { rating: z.number(), comment: Text.nullable(), ...onTheReportersSide });
export type RateHandling = z.infer<typeof RateHandling>;

// ---------------------------------------------------------------------------
// SLA monitoring (the scheduler)
// ---------------------------------------------------------------------------

const slaTimer = { stage: SlaStage, clockStartedAt: IsoDateTime, dueAt: IsoDateTime };

export const RecordSlaReminder = command('RecordSlaReminder', slaTimer);
export type RecordSlaReminder = z.infer<typeof RecordSlaReminder>;

export const RecordSlaBreach = command('RecordSlaBreach', { ...slaTimer, workingDaysLate: z.number() });
export type RecordSlaBreach = z.infer<typeof RecordSlaBreach>;

// ---------------------------------------------------------------------------
// The union
// ---------------------------------------------------------------------------

export const ComplaintCommand = z.discriminatedUnion('type', [
  SubmitComplaint,
  VerifyComplaint,
  RequestMissingData,
  SupplyMissingData,
  ArchiveComplaint,
  AnswerAspiration,
  DisposeComplaint,
  ReturnComplaint,
  HandOverToSuccessor,
  PostFollowUp,
  ReplyToFollowUp,
  CompleteComplaint,
  RateHandling,
  RecordSlaReminder,
  RecordSlaBreach,
]);
export type ComplaintCommand = z.infer<typeof ComplaintCommand>;
export type ComplaintCommandType = ComplaintCommand['type'];
