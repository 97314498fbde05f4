import { randomUUID } from 'node:crypto';

/** An event of a complaint's history, as the deciders write them (each one's `data.at` is when it happened). */
interface HistoryEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: { readonly at: string };
}

/**
 * Complaint histories as a log would hold them: each complaint's events in order, the complaints'
 * events taking turns by when they happened. The complaint id is the first event's `data.complaintId`.
 * Each is a read side's envelope (consumer-kit's EventEnvelope) by its shape: this package imports no domain.
 */
export function interleavedLog(histories: readonly (readonly HistoryEvent[])[]) {
  const events = histories.flatMap((history) =>
    history.map((event, version) => ({ event, version, complaintId: (history[0]!.data as { complaintId?: string }).complaintId ?? '' })),
  );
  events.sort((a, b) => Date.parse(a.event.data.at) - Date.parse(b.event.data.at) || a.version - b.version);
  return events.map(({ event, version, complaintId }, position) => ({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    complaintId,
    streamVersion: BigInt(version),
    globalPosition: BigInt(position),
    recordedAt: new Date().toISOString(),
    data: event.data,
  }));
}
