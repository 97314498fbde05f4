import type { SqlQueryable } from '@lapor/sql';
import { WEBHOOKS_SCHEMA } from './tables';

export type DeliveryStatus = 'pending' | 'held' | 'delivered' | 'cancelled';

export interface AttemptView {
  readonly at: string;
  readonly outcome: 'delivered' | 'failed';
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface DeliveryView {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly complaintId: string;
  readonly globalPosition: string;
  /** The replay that queued it again; null for the live delivery. */
  readonly replayId: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  /** Every attempt, oldest first. */
  readonly attemptLog: AttemptView[];
}

const iso = (value: Date | string | null): string | null => {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
};

/** A subscription's deliveries, newest first, each with every attempt; paged by `before` (a delivery id). */
export async function listDeliveries(
  db: SqlQueryable,
  subscriptionId: string,
  query: { status?: DeliveryStatus; limit: number; before?: string },
  schema = WEBHOOKS_SCHEMA,
): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  const rows = await db.query<{
    id: string;
    event_id: string;
    type: string;
    complaint_id: string;
    global_position: string;
    replay_id: string;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: Date | string | null;
    delivered_at: Date | string | null;
    last_status_code: number | null;
    last_error: string | null;
    created_at: Date | string;
    attempt_log: { at: string; outcome: 'delivered' | 'failed'; status_code: number | null; latency_ms: number; error: string | null }[] | null;
  }>(
    `SELECT d.id::text AS id, d.event_id, ev.type, d.complaint_id, ev.global_position::text AS global_position, d.replay_id, d.status, d.attempts,
       CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.delivered_at, d.last_status_code, d.last_error, d.created_at,
       (SELECT json_agg(json_build_object('at', a.attempted_at, 'outcome', a.outcome, 'status_code', a.status_code, 'latency_ms', a.latency_ms, 'error', a.error) ORDER BY a.id)
          FROM ${schema}.attempts a WHERE a.delivery_id = d.id) AS attempt_log
     FROM ${schema}.deliveries d JOIN ${schema}.events ev ON ev.event_id = d.event_id
     WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3::bigint)
     ORDER BY d.id DESC LIMIT $4`,
    [subscriptionId, query.status ?? null, query.before ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return {
    deliveries: page.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.type,
      complaintId: row.complaint_id,
      globalPosition: row.global_position,
      replayId: row.replay_id === '' ? null : row.replay_id,
      status: row.status,
      attempts: Number(row.attempts),
      // due at once ('-infinity') reads as now to a client: null would say "never"
      nextAttemptAt: row.next_attempt_at === null ? null : (iso(row.next_attempt_at) ?? iso(row.created_at)),
      deliveredAt: iso(row.delivered_at),
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      createdAt: iso(row.created_at)!,
      attemptLog: (row.attempt_log ?? []).map((attempt) => ({
        at: iso(attempt.at)!,
        outcome: attempt.outcome,
        statusCode: attempt.status_code,
        latencyMs: attempt.latency_ms,
        error: attempt.error,
      })),
    })),
    next: rows.length > query.limit ? page.at(-1)!.id : null,
  };
}
