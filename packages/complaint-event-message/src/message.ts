import { complaintIdFromStream, ComplaintId } from '@lapor/domain';
import type { RecordedEvent } from '@lapor/event-store';
import { z } from 'zod';

/** Where complaint events are published, keyed by complaint id. The `.v1` is the topic's, not the message's. */
export const COMPLAINT_EVENTS_TOPIC = 'lapor.complaint-events.v1';

/** The message format this package writes; a reader refuses any other. */
export const MESSAGE_VERSION = 1;

const decimal = z.string().regex(/^\d+$/, 'a non-negative integer in decimal');

/**
 * One complaint event on the wire. Positions and versions travel as decimal strings: they are
 * bigints in the store, and JSON numbers lose precision past 2^53. Fields added later are ignored
 * by this reader (additive changes keep the version); anything else is a new version.
 */
export const ComplaintEventMessage = z.object({
  // messages written before the version was spelled out have exactly this shape: they are version 1
  messageVersion: z.literal(MESSAGE_VERSION).default(MESSAGE_VERSION),
  eventId: z.string().min(1),
  type: z.string().min(1),
  /** The event's own schema version (its `data`), as the writer recorded it. */
  schemaVersion: z.int().min(1),
  complaintId: ComplaintId,
  streamVersion: decimal,
  globalPosition: decimal,
  recordedAt: z.iso.datetime({ offset: true }),
  /** The event's data as stored: a reporter's identity in it is already sealed, never in clear. */
  data: z.record(z.string(), z.unknown()),
});
export type ComplaintEventMessage = z.infer<typeof ComplaintEventMessage>;

/** A complaint event as every read side receives it, whichever transport brought it. */
export interface EventEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly complaintId: string;
  /** The event's place in its complaint's stream: what redeliveries are recognised by. */
  readonly streamVersion: bigint;
  readonly globalPosition: bigint;
  readonly recordedAt: string;
  readonly data: unknown;
}

/** The event's own schema version, as its writer recorded it in the metadata (1 when it did not). */
const schemaVersionOf = (event: RecordedEvent): number => (typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : 1);

/**
 * The message for an event of the log, or null when it is not a complaint event: accounts, API
 * keys, idempotency records and inbox visits are the workflow's own bookkeeping and never leave.
 */
export function messageFromLog(event: RecordedEvent): ComplaintEventMessage | null {
  const complaintId = complaintIdFromStream(event.streamId);
  if (complaintId === null) return null;
  return {
    messageVersion: MESSAGE_VERSION,
    eventId: event.id,
    type: event.type,
    schemaVersion: schemaVersionOf(event),
    complaintId,
    streamVersion: event.streamVersion.toString(),
    globalPosition: event.position.toString(),
    recordedAt: event.recordedAt.toISOString(),
    data: event.data as Record<string, unknown>,
  };
}

export const envelopeFromMessage = (message: ComplaintEventMessage): EventEnvelope => ({
  eventId: message.eventId,
  type: message.type,
  schemaVersion: message.schemaVersion,
  complaintId: message.complaintId,
  streamVersion: BigInt(message.streamVersion),
  globalPosition: BigInt(message.globalPosition),
  recordedAt: message.recordedAt,
  data: message.data,
});

/**
 * The envelope of an event read straight from the log (the in-process follower, a rebuild): what
 * the Kafka message's conversion gives, so both transports hand a read side the same thing.
 */
export function envelopeFromLog(event: RecordedEvent): EventEnvelope | null {
  const complaintId = complaintIdFromStream(event.streamId);
  if (complaintId === null) return null;
  // what envelopeFromMessage(messageFromLog(event)) gives, without the bigints' trip through text
  // (a rebuild reads millions of these)
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: schemaVersionOf(event),
    complaintId,
    streamVersion: event.streamVersion,
    globalPosition: event.position,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
  };
}
