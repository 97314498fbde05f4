import type { GlobalLogEvent, RecordedEvent } from './port';

/** `pg` returns int8 as a string, PGlite as a number (or a bigint past 2^53): accept all three. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))) return BigInt(value);
  throw new TypeError(`expected an integer from the database, got ${String(value)}`);
}

/**
 * The event columns every read selects, in this shape. The text casts get names of their own: an
 * output column named `transaction_id` would be what `ORDER BY transaction_id` sorts on, as text,
 * and '1000' sorts before '753' (readers then skipped and repeated events).
 */
export const EVENT_COLUMNS =
  'transaction_id::text AS transaction_id_text, global_position, stream_id, stream_version, event_id::text AS event_id_text, event_type, data, metadata, recorded_at';

export interface EventRow {
  readonly transaction_id_text: string;
  readonly global_position: unknown;
  readonly stream_id: string;
  readonly stream_version: unknown;
  readonly event_id_text: string;
  readonly event_type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recorded_at: Date | string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id_text,
    streamId: row.stream_id,
    streamVersion: toBigInt(row.stream_version),
    position: toBigInt(row.global_position),
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

export function toGlobalLogEvent(row: EventRow): GlobalLogEvent {
  const event = toRecordedEvent(row);
  return { ...event, logPosition: { transactionId: BigInt(row.transaction_id_text), position: event.position } };
}
