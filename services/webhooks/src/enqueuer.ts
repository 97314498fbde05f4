import { isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { traceparentNow } from '@lapor/tracing';
import { publicData } from './payload';
import { concernedNodes, subscriberNodes } from './scope';
import { WEBHOOKS_CHANNEL, WEBHOOKS_SCHEMA } from './tables';

export const ENQUEUER_NAME = 'webhooks';

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

/**
 * The outbox's feed: for each complaint event, one delivery per subscription that wants its type
 * and whose node the complaint concerns; idempotent per subscription and event, so an event the
 * transport brings twice is queued once. Runs in the consumer's transaction (applyOnce).
 */
export function createWebhookEnqueuer(deps: { tree: () => OrganisationTree; schema?: string }): EventHandler {
  const schema = deps.schema ?? WEBHOOKS_SCHEMA;
  return {
    name: ENQUEUER_NAME,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const [stored] = isFirstEventOfComplaint(envelope)
        ? []
        : await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaints WHERE complaint_id = $1`, [envelope.complaintId]);
      const before = stored?.state ?? complaintDecider.initialState();
      const after = complaintDecider.evolve(before, event);
      // the reporter's reference is of no use here, so it is not kept
      const kept = after.submitted ? { ...after, reporterRef: null } : after;
      await tx.query(
        `INSERT INTO ${schema}.complaints (complaint_id, state, version) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
        [envelope.complaintId, JSON.stringify(kept), envelope.streamVersion.toString()],
      );
      const outboxEvent = { ...envelope, event, before, after };
      await enqueue(tx, schema, deps.tree(), outboxEvent, { replayId: '', subscriptionId: null, sinceCreation: true });
    },
  };
}

/**
 * Queues the event for the subscriptions it matches (or for one, on a replay). Each matching
 * subscription is locked FOR SHARE while its delivery is queued, so a pause or a resume in flight
 * cannot leave it queued as pending on a paused subscription, or held on an active one.
 * Answers how many deliveries were queued.
 */
export async function enqueue(
  tx: SqlQueryable,
  schema: string,
  tree: OrganisationTree,
  item: OutboxEvent,
  target: { replayId: string; subscriptionId: string | null; sinceCreation: boolean },
): Promise<number> {
  const nodes = subscriberNodes(tree, concernedNodes(item.before, item.after));
  if (nodes.length === 0) return 0;
  const matching = await tx.query<{ id: string; status: string }>(
    `SELECT id, status FROM ${schema}.subscriptions
     WHERE status IN ('active', 'paused') AND node_id = ANY($1::text[])
       AND ($2 = ANY(event_types) OR '*' = ANY(event_types))
       AND ($3::timestamptz IS NULL OR date_trunc('milliseconds', created_at) <= $3::timestamptz)
       AND ($4::uuid IS NULL OR id = $4::uuid)
     ORDER BY id FOR SHARE`,
    [nodes, item.event.type, target.sinceCreation ? item.recordedAt : null, target.subscriptionId],
  );
  if (matching.length === 0) return 0;
  const trackingId = item.after.submitted ? item.after.trackingId : null;
  await tx.query(
    `INSERT INTO ${schema}.events (event_id, complaint_id, type, tracking_id, occurred_at, global_position, stream_version, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (event_id) DO NOTHING`,
    [
      item.eventId,
      item.complaintId,
      item.event.type,
      trackingId,
      item.event.data.at,
      item.globalPosition.toString(),
      item.streamVersion.toString(),
      JSON.stringify(publicData(item.event)),
    ],
  );
  const queued = await tx.query<{ status: string }>(
    `INSERT INTO ${schema}.deliveries (subscription_id, event_id, complaint_id, replay_id, status, traceparent)
     SELECT s.id, $2, $3, $4, s.status, $6::text FROM unnest($1::uuid[], $5::text[]) AS s(id, status)
     ON CONFLICT (subscription_id, event_id, replay_id) DO NOTHING RETURNING status`,
    [
      matching.map((row) => row.id),
      item.eventId,
      item.complaintId,
      target.replayId,
      matching.map((row) => (row.status === 'paused' ? 'held' : 'pending')),
      // the span queuing it (the event's apply, or the replay's request): the post continues its trace
      traceparentNow() ?? null,
    ],
  );
  // delivered at the commit: a dispatcher that is listening claims them at once
  if (queued.some((row) => row.status === 'pending')) await tx.query(`SELECT pg_notify($1, '')`, [WEBHOOKS_CHANNEL]);
  return queued.length;
}
