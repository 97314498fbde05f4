import { parseComplaintEvent, publicEventData, type Actor, type ComplaintEvent, type PublicActor } from '@lapor/domain';

// What an agency's system is told about a complaint event. Built here, by event type, so that a
// new event type breaks the build until someone decides what of it may leave the house: the
// reporter's identity (sealed or not) and the reporter's account reference never do.

export interface DeliveredEvent {
  /** The event id: the same on every delivery and replay of this event, for the receiver to dedupe on. */
  readonly id: string;
  readonly type: ComplaintEvent['type'];
  /** When it happened (the command's time), ISO 8601. */
  readonly occurredAt: string;
  readonly complaintId: string;
  readonly trackingId: string | null;
  /** The event's data, without personal data. */
  readonly data: Record<string, unknown>;
}

/** The reporter is never named to a receiver, not even by the opaque reference the reporter acts with. */
export function publicActor(actor: Actor): PublicActor {
  if (actor.role === 'reporter') return { role: 'reporter', id: null, nodeId: null };
  return { role: actor.role, id: actor.id, nodeId: actor.nodeId };
}

/** The event's data a receiver may see. */
export function publicData(event: ComplaintEvent): Record<string, unknown> {
  const by = publicActor(event.data.by);
  switch (event.type) {
    // the sealed identity and the reporter's account reference stay here (publicEventData drops them)
    case 'ComplaintSubmitted':
    case 'ComplaintVerified':
    case 'MissingDataRequested':
    case 'MissingDataSupplied':
    case 'ComplaintArchived':
    case 'AspirationAnswered':
    case 'ComplaintDisposed':
    case 'ComplaintReturned':
    case 'ComplaintHandedOver':
    case 'FollowUpPosted':
    case 'ReporterReplied':
    case 'ComplaintCompleted':
    case 'HandlingRated':
    case 'SlaReminderRecorded':
    case 'SlaBreachRecorded':
      return { ...publicEventData(event), at: event.data.at, by };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** An event as stored, read back (upcast and checked) and made fit to leave. */
export function deliveredEvent(raw: {
  eventId: string;
  type: string;
  schemaVersion: number;
  complaintId: string;
  trackingId: string | null;
  recordedAt: string;
  data: unknown;
}): DeliveredEvent {
  const event = parseComplaintEvent({ type: raw.type, schemaVersion: raw.schemaVersion, data: raw.data });
  return {
    id: raw.eventId,
    type: event.type,
    occurredAt: event.data.at ?? raw.recordedAt,
    complaintId: raw.complaintId,
    trackingId: raw.trackingId,
    data: publicData(event),
  };
}

/**
 * The request body, exactly as signed. `replay` tells a receiver this is a replay it asked for; the
 * id is the event's either way.
 */
export function deliveryBody(event: Omit<DeliveredEvent, 'type' | 'data'> & { type: string; data: unknown }, replay: boolean): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    complaintId: event.complaintId,
    ...(event.trackingId ? { trackingId: event.trackingId } : {}),
    replay,
    data: event.data,
  });
}
