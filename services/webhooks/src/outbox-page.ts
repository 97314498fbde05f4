import type { EventEnvelope } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { publicData } from './payload';
import { concernedNodes, subscriberNodes } from './scope';

// What a page of complaint events puts into the outbox, decided in memory (the SQL is enqueuer.ts):
// each complaint folded through its events of the page as the one-event enqueuer folds it through
// what it stored, and each event matched against the subscriptions one statement read for the page.

/** One complaint event on its way into the outbox: from the log or Kafka, or read again for a replay. */
export interface OutboxEvent {
  readonly eventId: string;
  readonly complaintId: string;
  readonly globalPosition: bigint;
  readonly streamVersion: bigint;
  readonly recordedAt: string;
  readonly event: ComplaintEvent;
  /** The complaint as it was before the event, and after. */
  readonly before: ComplaintState;
  readonly after: ComplaintState;
}

/** An event of a page, with the subscription nodes it concerns (none: no subscription hears it). */
export interface PageEvent extends OutboxEvent {
  readonly nodes: readonly string[];
}

/** A complaint as the outbox stores it. */
export interface StoredComplaint {
  readonly complaintId: string;
  readonly state: ComplaintState;
  readonly version: bigint;
}

/** The reporter's reference is of no use here, so it is not kept. */
export const keptState = (state: ComplaintState): ComplaintState => (state.submitted ? { ...state, reporterRef: null } : state);

/**
 * The page's events in log order, each with the complaint before and after it, and the page's
 * complaints as they stand after it. Each event starts from the state as stored (reporter reference
 * gone), as it would have been read back had its predecessor been a page of its own.
 */
export function foldPage(
  envelopes: readonly EventEnvelope[],
  stored: ReadonlyMap<string, ComplaintState>,
  tree: OrganisationTree,
): { readonly events: PageEvent[]; readonly complaints: StoredComplaint[] } {
  const states = new Map<string, StoredComplaint>();
  const events = envelopes.map((envelope): PageEvent => {
    const { complaintId } = envelope;
    const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
    const before = states.get(complaintId)?.state ?? stored.get(complaintId) ?? complaintDecider.initialState();
    const after = complaintDecider.evolve(before, event);
    states.set(complaintId, { complaintId, state: keptState(after), version: envelope.streamVersion });
    const { eventId, globalPosition, streamVersion, recordedAt } = envelope;
    return {
      eventId,
      complaintId,
      globalPosition,
      streamVersion,
      recordedAt,
      event,
      before,
      after,
      nodes: subscriberNodes(tree, concernedNodes(before, after)),
    };
  });
  return { events, complaints: [...states.values()] };
}

/** A subscription one of the page's events may match, locked while the page is queued. */
export interface Candidate {
  readonly id: string;
  readonly nodeId: string;
  readonly eventTypes: readonly string[];
  readonly status: 'active' | 'paused';
  /** Its created_at truncated to the millisecond, as epoch milliseconds. */
  readonly createdMs: number;
}

export interface Delivery {
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly complaintId: string;
  /** held while its subscription is paused */
  readonly status: 'pending' | 'held';
}

export const deliveryOf = (item: OutboxEvent, subscription: Pick<Candidate, 'id' | 'status'>): Delivery => ({
  subscriptionId: subscription.id,
  eventId: item.eventId,
  complaintId: item.complaintId,
  status: subscription.status === 'paused' ? 'held' : 'pending',
});

/**
 * The events to store and the deliveries to queue, event by event in log order, each event's in
 * the candidates' order: the deliveries' ids are the order a subscription gets them in. A candidate
 * matches as the one-event query would have: its node concerned, its types the event's or '*', and
 * created no later than the event was recorded, to the millisecond (recordedAt is ISO 8601, whose
 * digits past the millisecond Date.parse drops, which is what comparing it with a whole millisecond
 * needs).
 */
export function outboxRows(events: readonly PageEvent[], candidates: readonly Candidate[]): { events: OutboxEvent[]; deliveries: Delivery[] } {
  const stored: OutboxEvent[] = [];
  const deliveries: Delivery[] = [];
  for (const item of events) {
    const recordedMs = Date.parse(item.recordedAt);
    const matching = candidates.filter(
      (candidate) =>
        item.nodes.includes(candidate.nodeId) &&
        (candidate.eventTypes.includes(item.event.type) || candidate.eventTypes.includes('*')) &&
        candidate.createdMs <= recordedMs,
    );
    if (matching.length === 0) continue;
    stored.push(item);
    for (const candidate of matching) deliveries.push(deliveryOf(item, candidate));
  }
  return { events: stored, deliveries };
}

export const EVENT_COLUMNS = ['event_id', 'complaint_id', 'type', 'tracking_id', 'occurred_at', 'global_position', 'stream_version', 'data'] as const;

/** The event as it may leave, in EVENT_COLUMNS' order: stored once however many subscribers get it. */
export const eventValues = (item: OutboxEvent): unknown[] => [
  item.eventId,
  item.complaintId,
  item.event.type,
  item.after.submitted ? item.after.trackingId : null,
  item.event.data.at,
  item.globalPosition.toString(),
  item.streamVersion.toString(),
  publicData(item.event),
];
