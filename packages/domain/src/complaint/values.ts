import { z } from 'zod';
import { NodeId } from '../organisation/nodes';
import type { OrganisationNodeKind } from '../organisation/nodes';

// Value shapes shared by commands, events and state.

/** An instant with its offset, e.g. 2024-03-05T09:30:00+08:00; the domain never reads a clock. */
export const IsoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** Ids the edge generates for things inside a complaint (follow-ups, requests, replies). */
export const EntityId = z.uuid();
export type EntityId = z.infer<typeof EntityId>;

export const ComplaintKind = z.enum(['pengaduan', 'aspirasi', 'permintaan_informasi', 'wbs']);
export type ComplaintKind = z.infer<typeof ComplaintKind>;

export const Channel = z.enum(['web', 'mobile_app', 'sms_1708', 'social_media', 'email', 'letter', 'face_to_face', 'call_centre', 'integration']);
export type Channel = z.infer<typeof Channel>;

export const ArchiveReason = z.enum(['SPAM', 'DUPLICATE', 'NOT_PUBLIC_SERVICE', 'INCOMPLETE', 'MISSING_DATA_TIMEOUT', 'OTHER']);
export type ArchiveReason = z.infer<typeof ArchiveReason>;

/** Why a complaint changed holder without a disposition: its holder was restructured away. */
export const SuccessionReason = z.enum(['MERGE', 'SPLIT']);
export type SuccessionReason = z.infer<typeof SuccessionReason>;

// ---------------------------------------------------------------------------
// Who acts
// ---------------------------------------------------------------------------

export const ActorRole = z.enum(['reporter', 'admin_nasional', 'admin_instansi', 'liaison', 'integration', 'system']);
export type ActorRole = z.infer<typeof ActorRole>;

/**
 * Staff always act for a node of the tree. A reporter's id is the opaque account reference
 * the edge gives it (never a name, NIK or phone number). An integrating system may belong to
 * an instansi (its own complaint system) or to none (the SMS 1708 gateway). The system actor
 * is the scheduler.
 */
export const Actor = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['admin_nasional', 'admin_instansi', 'liaison']), id: z.string().min(1), nodeId: NodeId }),
  z.object({ role: z.enum(['reporter', 'system']), id: z.string().min(1), nodeId: z.null() }),
  z.object({ role: z.literal('integration'), id: z.string().min(1), nodeId: NodeId.nullable() }),
]);
export type Actor = z.infer<typeof Actor>;

/** The staff role that handles a complaint while a node of this kind holds it. */
export const HANDLING_ROLE: Readonly<Record<OrganisationNodeKind, ActorRole>> = {
  nasional: 'admin_nasional',
  instansi: 'admin_instansi',
  unit: 'liaison',
  subunit: 'liaison',
};

/**
 * Who may bring a complaint in on each channel. Letters, visits and calls reach an office
 * and an admin types them in; e-mail and social media are read by an admin or fetched by a
 * gateway; SMS 1708 and agency systems post over the API with their own credentials.
 */
export const SUBMITTER_ROLES_BY_CHANNEL: Readonly<Record<Channel, readonly ActorRole[]>> = {
  web: ['reporter'],
  mobile_app: ['reporter'],
  sms_1708: ['integration'],
  social_media: ['admin_nasional', 'admin_instansi', 'integration'],
  email: ['admin_nasional', 'admin_instansi', 'integration'],
  letter: ['admin_nasional', 'admin_instansi'],
  face_to_face: ['admin_nasional', 'admin_instansi'],
  call_centre: ['admin_nasional', 'admin_instansi'],
  integration: ['integration'],
};

/**
 * How a reporter who cannot use the API themselves reached the office whose admin enters their
 * words for them: the channels an admin types a complaint in from. Recorded on the event so a
 * reply that came by letter reads as that, not as the admin's own remark.
 */
export const EnteredVia = z.enum(['letter', 'face_to_face', 'call_centre', 'email', 'social_media']);
export type EnteredVia = z.infer<typeof EnteredVia>;

// ---------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------

/**
 * The reporter's identity, encrypted at the edge. The domain carries it and never opens it;
 * keyId names the key so it can be rotated, and destroying the key erases the identity.
 */
export const SealedIdentity = z.object({ sealed: z.string().min(1), keyId: z.string().min(1) });
export type SealedIdentity = z.infer<typeof SealedIdentity>;

// No trimming transforms here: an event must parse back to exactly what was written.
export const Text = z.string().min(1).max(10_000);
export const ShortText = z.string().min(1).max(300);

/**
 * A file that came with a command, as its event names it (never its bytes): enough for a receiver to
 * fetch it with its own credentials and check what it got.
 */
export const AttachmentRef = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(300),
  /** Sniffed from the content. */
  mediaType: z.string().min(1).max(200),
  size: z.int().nonnegative(),
  /** Of the bytes as stored (an anonymous reporter's photo without its GPS position), hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;
export const Attachments = z.array(AttachmentRef).max(20);

/**
 * A file as an event names it. Events of the first version named the id alone: they read back with
 * the rest null (the attachments catalog holds it). Every later event names all of it.
 */
export const RecordedAttachment = AttachmentRef.extend({
  name: AttachmentRef.shape.name.nullable(),
  mediaType: AttachmentRef.shape.mediaType.nullable(),
  size: AttachmentRef.shape.size.nullable(),
  sha256: AttachmentRef.shape.sha256.nullable(),
});
export type RecordedAttachment = z.infer<typeof RecordedAttachment>;
export const RecordedAttachments = z.array(RecordedAttachment).max(20);
