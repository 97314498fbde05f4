import { complaintDecider, complaintIdFromStream, type ComplaintState } from '@lapor/domain';
import { LOG_START, type EventStore } from '@lapor/event-store';
import { fromStoredEvent } from '@lapor/workflow';

export type SubmittedComplaint = Extract<ComplaintState, { submitted: true }>;

/**
 * The oracle's side: every submitted complaint as the whole log says it is now, folded straight from
 * the global log with the decider's own evolve. Nothing of the read model's code, so it is checked
 * against the log itself.
 */
export async function foldLog(store: EventStore): Promise<SubmittedComplaint[]> {
  const states = new Map<string, ComplaintState>();
  let position = LOG_START;
  for (;;) {
    const page = await store.readGlobalLog(position, 1_000);
    for (const recorded of page.events) {
      const complaintId = complaintIdFromStream(recorded.streamId);
      if (complaintId === null) continue;
      states.set(complaintId, complaintDecider.evolve(states.get(complaintId) ?? complaintDecider.initialState(), fromStoredEvent(recorded)));
    }
    if (page.events.length === 0) return [...states.values()].filter((state): state is SubmittedComplaint => state.submitted);
    position = page.next;
  }
}
