import { complaintDecider, complaintIdFromStream, type ComplaintState } from '@lapor/domain';
import { LOG_START, type EventStore } from '@lapor/event-store';
import { fromStoredEvent } from '@lapor/workflow';

/** A complaint as the whole log says it is now, with what an inbox needs beyond the decider's state. */
export interface FoldedComplaint {
  readonly complaintId: string;
  readonly state: Extract<ComplaintState, { submitted: true }>;
  /** Every node that has held it. */
  readonly handledBy: readonly string[];
  readonly version: bigint;
  /** As submitted (the decider's state does not keep it). */
  readonly title: string;
}

/**
 * The oracle's side: every complaint folded straight from the global log, read to its end, with the
 * decider's own evolve. Nothing of the read models' code, so they are checked against the log itself.
 */
export async function foldLog(store: EventStore): Promise<Map<string, FoldedComplaint>> {
  const states = new Map<string, { state: ComplaintState; handledBy: Set<string>; version: bigint; title: string }>();
  let position = LOG_START;
  for (;;) {
    const page = await store.readGlobalLog(position, 1_000);
    for (const recorded of page.events) {
      const complaintId = complaintIdFromStream(recorded.streamId);
      if (complaintId === null) continue;
      const entry = states.get(complaintId) ?? { state: complaintDecider.initialState(), handledBy: new Set<string>(), version: -1n, title: '' };
      const event = fromStoredEvent(recorded);
      if (event.type === 'ComplaintSubmitted') entry.title = event.data.title;
      entry.state = complaintDecider.evolve(entry.state, event);
      entry.version = recorded.streamVersion;
      if (entry.state.submitted) entry.handledBy.add(entry.state.holder.id);
      states.set(complaintId, entry);
    }
    if (page.events.length === 0) break;
    position = page.next;
  }
  const folded = new Map<string, FoldedComplaint>();
  for (const [complaintId, { state, handledBy, version, title }] of states)
    if (state.submitted) folded.set(complaintId, { complaintId, state, handledBy: [...handledBy], version, title });
  return folded;
}
