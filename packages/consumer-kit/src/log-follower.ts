import { complaintIdFromStream } from '@lapor/domain';
import { LOG_START, type EventStore, type GlobalLogEvent, type LogPosition, type SqlRunner, type Subscription } from '@lapor/event-store';
import { applyOnce, type EventHandler } from './apply-once';
import type { EventEnvelope } from './envelope';

function envelopeFromLog(event: GlobalLogEvent): EventEnvelope | null {
  const complaintId = complaintIdFromStream(event.streamId);
  if (complaintId === null) return null;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : 1,
    complaintId,
    streamVersion: event.streamVersion,
    globalPosition: event.position,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
  };
}

/**
 * The same handler fed straight from the event log: the embedded mode's transport, and how a new or
 * rebuilt read side starts from the very beginning, not from what Kafka still retains.
 */
export function followEventLog(
  store: EventStore,
  db: SqlRunner,
  handler: EventHandler,
  options: { from?: LogPosition; onError: (error: unknown) => void },
): Subscription {
  return store.subscribeToGlobalLog({
    from: options.from ?? LOG_START,
    onEvent: async (event) => {
      const envelope = envelopeFromLog(event);
      if (envelope) await applyOnce(db, handler, envelope);
    },
    onError: options.onError,
  });
}
