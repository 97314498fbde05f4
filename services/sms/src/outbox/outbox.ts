import type { SqlQueryable } from '@lapor/sql';
import type { SealedIdentity } from '@lapor/personal-data';
import { traceparentNow } from '@lapor/tracing';
import { uuidV5 } from '@lapor/workflow';
import { SMS_SCHEMA } from '../tables';

const OUTBOX_NAMESPACE = 'b1d0c7e2-5a4f-4e8b-9c3d-7f1a2e6b8d40';

/** An SMS to queue: the text, and where the phone to send it to is sealed. */
export interface QueuedSms {
  /** What it answers, once: a second message with the same key is not queued. */
  readonly key: string;
  readonly complaintId: string | null;
  readonly subjectId: string;
  readonly sealed: SealedIdentity;
  /** The subject belongs to this message alone: its key is destroyed when the message is done. */
  readonly ephemeral: boolean;
  readonly body: string;
  /** The trace its send continues; absent, the span queuing it (an inbound message's request). */
  readonly traceparent?: string | null;
}

/** The outbox id of a key: the reference the provider gets, the same for every attempt. */
export const outboxIdFor = (key: string): string => uuidV5(key, OUTBOX_NAMESPACE);

/** The INSERT of `enqueueSms`, for a caller that runs it inside a statement of its own ($1… are its parameters). */
export function outboxInsert(schema: string, first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO ${schema}.outbox (id, key, complaint_id, subject_id, sealed, ephemeral, body, next_attempt_at, created_at, traceparent)
     SELECT m.id, m.key, m.complaint_id, m.subject_id, m.sealed::jsonb, m.ephemeral, m.body, ${p(7)}::timestamptz, ${p(7)}::timestamptz, m.traceparent
     FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::boolean[], ${p(6)}::text[], ${p(8)}::text[])
       AS m(id, key, complaint_id, subject_id, sealed, ephemeral, body, traceparent)
     ON CONFLICT (key) DO NOTHING`;
}

/** The parameters of `outboxInsert`, in its order. */
export const outboxParameters = (messages: readonly QueuedSms[], now: Date): unknown[] => [
  messages.map((message) => outboxIdFor(message.key)),
  messages.map((message) => message.key),
  messages.map((message) => message.complaintId),
  messages.map((message) => message.subjectId),
  messages.map((message) => JSON.stringify(message.sealed)),
  messages.map((message) => message.ephemeral),
  messages.map((message) => message.body),
  now.toISOString(),
  // the span queuing them (an event's apply, an inbound message's request): their sends continue its trace
  messages.map((message) => (message.traceparent === undefined ? (traceparentNow() ?? null) : message.traceparent)),
];

/**
 * Queues the messages in the caller's transaction, with what they answer: a message is queued
 * exactly when its cause is recorded. One statement however many.
 */
export async function enqueueSms(tx: SqlQueryable, messages: readonly QueuedSms[], now: Date, schema = SMS_SCHEMA): Promise<void> {
  if (messages.length === 0) return;
  await tx.query(outboxInsert(schema, 1), outboxParameters(messages, now));
}
