import { complaintDecider, complaintIdFromStream, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import { LOG_START, type EventStore } from '@lapor/event-store';
import { integrationScope } from '@lapor/submission';
import { fromStoredEvent } from '@lapor/workflow';

/** A complaint as the whole log says it is now, with who sent it and its latest event. */
export interface FoldedComplaint {
  readonly complaintId: string;
  /** integrationScope of the sender: null for a citizen's or staff's complaint. */
  readonly scope: string | null;
  readonly externalReference: string | null;
  readonly state: Extract<ComplaintState, { submitted: true }>;
  readonly lastChange: { readonly at: string; readonly type: ComplaintEvent['type'] };
  readonly version: bigint;
}

/**
 * The oracle's side: every complaint folded straight from the global log, read to its end, with the
 * decider's own evolve. Nothing of the read model's code, so it is checked against the log itself.
 */
export async function foldLog(store: EventStore): Promise<FoldedComplaint[]> {
  const folded = new Map<string, { sender: ComplaintEvent | undefined; state: ComplaintState; last: ComplaintEvent | undefined; version: bigint }>();
  let position = LOG_START;
  for (;;) {
    const page = await store.readGlobalLog(position, 1_000);
    for (const recorded of page.events) {
      const complaintId = complaintIdFromStream(recorded.streamId);
      if (complaintId === null) continue;
      const event = fromStoredEvent(recorded);
      const entry = folded.get(complaintId) ?? { sender: event, state: complaintDecider.initialState(), last: undefined, version: -1n };
      entry.state = complaintDecider.evolve(entry.state, event);
      entry.last = event;
      entry.version = recorded.streamVersion;
      folded.set(complaintId, entry);
    }
    if (page.events.length === 0) break;
    position = page.next;
  }
  return [...folded].flatMap(([complaintId, { sender, state, last, version }]) =>
    state.submitted && sender?.type === 'ComplaintSubmitted' && last
      ? [
          {
            complaintId,
            scope: integrationScope(sender.data.by),
            externalReference: sender.data.externalReference,
            state,
            lastChange: { at: last.data.at, type: last.type },
            version,
          },
        ]
      : [],
  );
}
