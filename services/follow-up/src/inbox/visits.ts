import { INBOX_OPENED, unitActivityStream } from '@lapor/accounts';
import type { EventStore, RecordedEvent } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';

/**
 * "Terakhir Dilihat" is kept to this resolution: a node's visit is recorded when it opens the first
 * page of its inbox and its last recorded visit is older than this. Paging through a long inbox, or
 * a dashboard refreshing it every few seconds, then costs no append per request, and the unit's
 * activity stream grows by at most a dozen events an hour, while a recap's "last seen" is at most
 * five minutes early.
 */
export const VISIT_RESOLUTION_MS = 5 * 60_000;

const atOf = (event: RecordedEvent | undefined): string | null => {
  const at = (event?.data as { at?: unknown } | null | undefined)?.at;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : null;
};

/**
 * Records this visit when it is due (see VISIT_RESOLUTION_MS) and answers when the node last opened
 * its inbox before it (null: never). One read of the stream's last event, and an append when due.
 */
export async function visitInbox(
  store: EventStore,
  visit: { readonly nodeId: string; readonly by: string; readonly at: string; readonly firstPage: boolean },
): Promise<string | null> {
  const stream = unitActivityStream(visit.nodeId);
  const [latest] = await store.readLatest([stream]);
  const lastSeenAt = atOf(latest);
  const due = lastSeenAt === null || Date.parse(visit.at) - Date.parse(lastSeenAt) >= VISIT_RESOLUTION_MS;
  if (visit.firstPage && due) {
    await store.appendToStream(stream, [{ id: randomUUID(), type: INBOX_OPENED, data: { nodeId: visit.nodeId, at: visit.at, by: visit.by } }]);
  }
  return lastSeenAt;
}
