import { complaintDecider, complaintIdFromStream, complaintStream, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { LOG_START, type EventStore, type GlobalLogEvent } from '@lapor/event-store';
import { type SqlRunner } from '@lapor/sql';
import { fromStoredEvent } from '@lapor/workflow';
import { enqueue, type OutboxEvent } from './enqueuer';
import { WEBHOOKS_SCHEMA } from './tables';

/** Where a replay starts: events recorded at or after a moment, or at or after a global position. */
export type ReplayFrom = { readonly time: Date } | { readonly position: bigint };

const PAGE = 500;
// complaints whose folded state is kept while replaying; one pushed out is read again if needed
const STATES_KEPT = 10_000;

/**
 * Queues again, for one subscription, every event from `from` that it would have been sent: read
 * from the event store's global log (not from what was delivered before), matched as live
 * deliveries are, and marked with the replay's id so they go out again under the same event ids.
 * Once one of a complaint's events is in the window, so are all its later ones.
 */
export async function replayEvents(options: {
  store: Pick<EventStore, 'readGlobalLog' | 'readStream'>;
  db: SqlRunner;
  tree: () => OrganisationTree;
  subscriptionId: string;
  replayId: string;
  from: ReplayFrom;
  schema?: string;
}): Promise<number> {
  const { store, db, subscriptionId, replayId, from } = options;
  const schema = options.schema ?? WEBHOOKS_SCHEMA;
  const states = new Map<string, ComplaintState>();
  const inWindow = (event: GlobalLogEvent): boolean => ('time' in from ? event.recordedAt.getTime() >= from.time.getTime() : event.position >= from.position);

  /** The complaint as it stood before this event: kept from the replay so far, or folded from its stream. */
  const stateBefore = async (complaintId: string, event: GlobalLogEvent): Promise<ComplaintState> => {
    const kept = states.get(complaintId);
    if (kept) return kept;
    if (event.streamVersion === 0n) return complaintDecider.initialState();
    const earlier = await store.readStream(complaintStream(complaintId), { maxCount: Number(event.streamVersion) });
    return earlier.map(fromStoredEvent).reduce(complaintDecider.evolve, complaintDecider.initialState());
  };

  let enqueued = 0;
  let position = LOG_START;
  for (;;) {
    const page = await store.readGlobalLog(position, PAGE);
    const items: OutboxEvent[] = [];
    for (const recorded of page.events) {
      const complaintId = complaintIdFromStream(recorded.streamId);
      if (complaintId === null || (!states.has(complaintId) && !inWindow(recorded))) continue;
      const before = await stateBefore(complaintId, recorded);
      const event = fromStoredEvent(recorded);
      const after = complaintDecider.evolve(before, event);
      states.delete(complaintId); // re-inserted last: the map's order is the least recently used first
      states.set(complaintId, after);
      if (states.size > STATES_KEPT) states.delete(states.keys().next().value!);
      items.push({
        eventId: recorded.id,
        complaintId,
        globalPosition: recorded.position,
        streamVersion: recorded.streamVersion,
        recordedAt: recorded.recordedAt.toISOString(),
        event,
        before,
        after,
      });
    }
    if (items.length > 0) {
      enqueued += await db.transaction(async (tx) => {
        let queued = 0;
        for (const item of items) queued += await enqueue(tx, schema, options.tree(), item, { replayId, subscriptionId, sinceCreation: false });
        return queued;
      });
    }
    if (page.events.length < PAGE) return enqueued;
    position = page.next;
  }
}
