import { complaintIdFromStream } from '@lapor/domain';
import type { GlobalLogEvent } from '@lapor/event-store';
import type { Message } from 'kafkajs';

/**
 * Only complaint events leave the store: accounts, API keys, idempotency records and inbox visits
 * are the workflow's own bookkeeping. The identity in a submission is already sealed.
 */
export function toKafkaMessage(event: GlobalLogEvent): Message | null {
  const complaintId = complaintIdFromStream(event.streamId);
  if (complaintId === null) return null;
  const schemaVersion = typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : 1;
  return {
    // one key per complaint: its events stay in one partition, in order
    key: complaintId,
    value: JSON.stringify({
      eventId: event.id,
      type: event.type,
      schemaVersion,
      complaintId,
      streamVersion: event.streamVersion.toString(),
      globalPosition: event.position.toString(),
      recordedAt: event.recordedAt.toISOString(),
      data: event.data,
    }),
    headers: {
      'event-type': event.type,
      'schema-version': String(schemaVersion),
      'event-id': event.id,
      'global-position': event.position.toString(),
      'stream-version': event.streamVersion.toString(),
    },
  };
}
