import { z } from 'zod';
import { ComplaintId, TrackingId } from '../ids';
import { NodeId, NodeRef } from '../organisation/nodes';
import { SlaClass, SlaStage } from './sla';
import {
  Actor,
  ArchiveReason,
  Channel,
  ComplaintKind,
  EnteredVia,
  EntityId,
  IsoDateTime,
  RecordedAttachments,
  SealedIdentity,
  ShortText,
  SuccessionReason,
  Text,
} from './values';

// Every event is { type, schemaVersion, data }. `data.at` is when it happened (the command's
// `now`) and `data.by` who did it. Optional facts are `null`, never absent, so an event
// survives a JSON round trip unchanged. A change to a shape gets a new schemaVersion and an
// upcaster in event-registry.ts; stored events are never rewritten.

const event = <const Type extends string, const Version extends number, Data extends z.ZodRawShape>(type: Type, schemaVersion: Version, data: Data) =>
  z.object({
    type: z.literal(type),
    schemaVersion: z.literal(schemaVersion),
    data: z.object({ ...data, at: IsoDateTime, by: Actor }),
  });

// ---------------------------------------------------------------------------
// Intake and verification
// ---------------------------------------------------------------------------

export const ComplaintSubmitted = event('ComplaintSubmitted', 2, {
  complaintId: ComplaintId,
  trackingId: TrackingId,
  kind: ComplaintKind,
  channel: Channel,
  title: ShortText,
  description: Text,
  occurredOn: z.iso.date().nullable(),
  location: ShortText.nullable(),
  attachments: RecordedAttachments,
  /** Nasional or an instansi: the door the complaint came in by. */
  addressedTo: NodeRef,
  reporter: SealedIdentity.nullable(),
  /** Opaque account reference that lets the reporter act on the complaint later. */
  reporterRef: z.string().min(1).nullable(),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  /** The sender's own reference: a letter number, an agency system's ticket id. */
  externalReference: ShortText.nullable(),
});
export type ComplaintSubmitted = z.infer<typeof ComplaintSubmitted>;

export const ComplaintVerified = event('ComplaintVerified', 1, {
  slaClass: SlaClass,
  category: ShortText,
  anonymous: z.boolean(),
  confidential: z.boolean(),
  note: Text.nullable(),
});
export type ComplaintVerified = z.infer<typeof ComplaintVerified>;

export const MissingDataRequested = event('MissingDataRequested', 1, {
  requestId: EntityId,
  message: Text,
});
export type MissingDataRequested = z.infer<typeof MissingDataRequested>;

/**
 * What the reporter (or an admin typing in their words: see `enteredVia`) says back. Version 2
 * added `enteredVia`: null when the reporter acted themselves, and on every version-1 event.
 * Version 2 of every event with files names each file whole (`attachments`); version 1 had their ids.
 */
const onTheReportersSide = {
  /** The channel the reporter used when an admin entered this for them; null when they acted themselves. */
  enteredVia: EnteredVia.nullable(),
};

export const MissingDataSupplied = event('MissingDataSupplied', 2, {
  requestId: EntityId,
  message: Text,
  attachments: RecordedAttachments,
  ...onTheReportersSide,
});
export type MissingDataSupplied = z.infer<typeof MissingDataSupplied>;

export const ComplaintArchived = event('ComplaintArchived', 1, {
  reason: ArchiveReason,
  note: Text.nullable(),
  /** Set when the scheduler archives after the reporter left a request unanswered. */
  missingDataRequestId: EntityId.nullable(),
});
export type ComplaintArchived = z.infer<typeof ComplaintArchived>;

export const AspirationAnswered = event('AspirationAnswered', 1, {
  answer: Text,
  category: ShortText.nullable(),
});
export type AspirationAnswered = z.infer<typeof AspirationAnswered>;

// ---------------------------------------------------------------------------
// Hand-offs
// ---------------------------------------------------------------------------

export const ComplaintDisposed = event('ComplaintDisposed', 1, {
  from: NodeRef,
  to: NodeRef,
  /** Bodies that receive a copy for coordination; they do not hold the complaint. */
  tembusan: z.array(NodeId),
  /** The completion class in force from this hop on; the scheduler sets its clocks from it. */
  slaClass: SlaClass,
  note: Text.nullable(),
});
export type ComplaintDisposed = z.infer<typeof ComplaintDisposed>;

/** Bukan Wewenang: the holder sends the complaint one level up, with its reason. */
export const ComplaintReturned = event('ComplaintReturned', 1, {
  from: NodeRef,
  to: NodeRef,
  reason: Text,
});
export type ComplaintReturned = z.infer<typeof ComplaintReturned>;

/**
 * The holder was merged or split away, and its successor answers for the complaint from now on.
 * Not a disposition: status, follow-ups and every running clock stay as they were (the successor
 * inherits the deadlines), and no hop is counted against anyone.
 */
export const ComplaintHandedOver = event('ComplaintHandedOver', 1, {
  from: NodeRef,
  to: NodeRef,
  reason: SuccessionReason,
});
export type ComplaintHandedOver = z.infer<typeof ComplaintHandedOver>;

// ---------------------------------------------------------------------------
// Follow-up, completion, rating
// ---------------------------------------------------------------------------

export const FollowUpPosted = event('FollowUpPosted', 2, {
  followUpId: EntityId,
  unitId: NodeId,
  message: Text,
  attachments: RecordedAttachments,
});
export type FollowUpPosted = z.infer<typeof FollowUpPosted>;

/** A reply on the reporter's side of the conversation: the reporter, or an admin for them. */
export const ReporterReplied = event('ReporterReplied', 2, {
  replyId: EntityId,
  followUpId: EntityId,
  message: Text,
  attachments: RecordedAttachments,
  ...onTheReportersSide,
});
export type ReporterReplied = z.infer<typeof ReporterReplied>;

export const CompletionKind = z.enum(['AUTO_CLOSE', 'ASPIRATION_ANSWERED']);
export type CompletionKind = z.infer<typeof CompletionKind>;

export const ComplaintCompleted = event('ComplaintCompleted', 1, {
  completion: CompletionKind,
  lastFollowUpId: EntityId.nullable(),
});
export type ComplaintCompleted = z.infer<typeof ComplaintCompleted>;

export const HandlingRated = event('HandlingRated', 2, {
  rating: z.int().min(1).max(5),
  comment: Text.nullable(),
  ...onTheReportersSide,
});
export type HandlingRated = z.infer<typeof HandlingRated>;

// ---------------------------------------------------------------------------
// SLA monitoring (recorded by the scheduler)
// ---------------------------------------------------------------------------

const slaRecord = {
  stage: SlaStage,
  /** When the clock for this stage started: receipt, or the unit's receipt of the complaint. */
  clockStartedAt: IsoDateTime,
  dueAt: IsoDateTime,
  /** The node responsible for the stage: the verifying admin's node or the assigned unit. */
  nodeId: NodeId,
};

export const SlaReminderRecorded = event('SlaReminderRecorded', 1, slaRecord);
export type SlaReminderRecorded = z.infer<typeof SlaReminderRecorded>;

export const SlaBreachRecorded = event('SlaBreachRecorded', 1, {
  ...slaRecord,
  workingDaysLate: z.int().positive(),
});
export type SlaBreachRecorded = z.infer<typeof SlaBreachRecorded>;

// ---------------------------------------------------------------------------
// The union
// ---------------------------------------------------------------------------

export const ComplaintEvent = z.discriminatedUnion('type', [
  ComplaintSubmitted,
  ComplaintVerified,
  MissingDataRequested,
  MissingDataSupplied,
  ComplaintArchived,
  AspirationAnswered,
  ComplaintDisposed,
  ComplaintReturned,
  ComplaintHandedOver,
  FollowUpPosted,
  ReporterReplied,
  ComplaintCompleted,
  HandlingRated,
  SlaReminderRecorded,
  SlaBreachRecorded,
]);
export type ComplaintEvent = z.infer<typeof ComplaintEvent>;
export type ComplaintEventType = ComplaintEvent['type'];
