/** A complaint event as every read side receives it, whichever transport brought it. */
export interface EventEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly complaintId: string;
  /** The event's place in its complaint's stream: what redeliveries are recognised by. */
  readonly streamVersion: bigint;
  readonly globalPosition: bigint;
  readonly recordedAt: string;
  readonly data: unknown;
}

/** The relay's message value (see services/relay/src/messages.ts) back into an envelope. */
export function envelopeFromKafka(value: string): EventEnvelope {
  const parsed = JSON.parse(value) as Record<string, unknown>;
  return {
    eventId: String(parsed.eventId),
    type: String(parsed.type),
    schemaVersion: Number(parsed.schemaVersion),
    complaintId: String(parsed.complaintId),
    streamVersion: BigInt(String(parsed.streamVersion)),
    globalPosition: BigInt(String(parsed.globalPosition)),
    recordedAt: String(parsed.recordedAt),
    data: parsed.data,
  };
}
