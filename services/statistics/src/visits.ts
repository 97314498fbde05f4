import { mapLimit } from '@lapor/background';
import type { EventStore, RecordedEvent } from '@lapor/event-store';
import { unitActivityStream } from '@lapor/accounts';

// "Terakhir Dilihat" as of a moment: each node's latest inbox visit at or before it. A unit's
// activity stream gains an event on every visit, so reading it whole for a recap of years ago would
// cost every visit since; instead the last event of each stream is read in one round trip, and only
// a stream whose last visit is after the moment is searched by halves on its versions (visits are
// appended as they happen, so their times grow with the version): about log2(visits) one-event
// reads for such a stream, however long it grows.

/** How many streams are searched at a time: a national recap has thousands of nodes, the pool a few connections. */
const SEARCHES_AT_ONCE = 8;

const atOf = (event: RecordedEvent | undefined): string | null => {
  const at = (event?.data as { at?: unknown } | null | undefined)?.at;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : null;
};

/**
 * When each node's staff last opened their inbox, at or before `asOf` (default: the latest visit);
 * nodes never opened by then are absent.
 */
export async function inboxVisitsAsOf(store: EventStore, nodeIds: readonly string[], asOf?: Date): Promise<Map<string, string>> {
  const nodeOf = new Map(nodeIds.map((nodeId) => [unitActivityStream(nodeId), nodeId]));
  const latest = await store.readLatest([...nodeOf.keys()]);
  const until = asOf?.getTime() ?? Infinity;
  const visits = new Map<string, string>();
  const later: RecordedEvent[] = [];
  for (const event of latest) {
    const at = atOf(event);
    if (at === null) continue;
    if (Date.parse(at) <= until) visits.set(nodeOf.get(event.streamId)!, at);
    else later.push(event);
  }
  const found = await mapLimit(later, SEARCHES_AT_ONCE, (event) => lastVisitUntil(store, event, until));
  later.forEach((event, index) => {
    const at = found[index];
    if (at) visits.set(nodeOf.get(event.streamId)!, at);
  });
  return visits;
}

/** The stream's last visit at or before `until`, searched below the version of `after` (a visit after it). */
async function lastVisitUntil(store: EventStore, after: RecordedEvent, until: number): Promise<string | null> {
  let best: string | null = null;
  let low = 0n;
  let high = after.streamVersion - 1n;
  while (low <= high) {
    const middle = (low + high) / 2n;
    const [event] = await store.readStream(after.streamId, { fromVersion: middle, maxCount: 1 });
    const at = atOf(event);
    if (at !== null && Date.parse(at) <= until) {
      best = at;
      low = middle + 1n;
    } else {
      high = middle - 1n;
    }
  }
  return best;
}
