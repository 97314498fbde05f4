import { parseComplaintEvent, type ComplaintEvent } from '@lapor/domain';
import type { EventToAppend, RecordedEvent } from '@lapor/event-store';
import { eventIdFor } from './uuid-v5';

/** What travels with every event besides its data: enough to trace a request through the log. */
export interface EventContext {
  /** The command that produced the event (the Idempotency-Key when the client sent one). */
  readonly commandId: string;
  /** The request that carried the command, for following it through logs. */
  readonly correlationId?: string;
}

/**
 * Domain events go to the store as `{ type, data }` with the schema version in the metadata, so
 * the stored data is exactly the event's data and an upcaster can read old versions.
 */
export function toStoredEvents(events: readonly ComplaintEvent[], context: EventContext): EventToAppend[] {
  return events.map((event, index) => ({
    id: eventIdFor(context.commandId, index),
    type: event.type,
    data: event.data,
    metadata: {
      schemaVersion: event.schemaVersion,
      commandId: context.commandId,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    },
  }));
}

export function fromStoredEvent(recorded: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): ComplaintEvent {
  const schemaVersion = typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1;
  return parseComplaintEvent({ type: recorded.type, schemaVersion, data: recorded.data });
}
