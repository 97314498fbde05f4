import { complaintsStoredBefore, type EventEnvelope, type EventHandler, type InEventTrace } from '@lapor/consumer-kit';
import type { ComplaintState, OrganisationTree } from '@lapor/domain';
import { rowsAsJson, type SqlQueryable } from '@lapor/sql';
import { traceparentNow } from '@lapor/tracing';
import { deliveryOf, EVENT_COLUMNS, eventValues, foldPage, outboxRows, type Candidate, type Delivery, type OutboxEvent, type PageEvent } from './outbox-page';
import { concernedNodes, subscriberNodes } from './scope';
import { WEBHOOKS_CHANNEL, WEBHOOKS_SCHEMA } from './tables';

export type { OutboxEvent } from './outbox-page';

export const ENQUEUER_NAME = 'webhooks';

/**
 * The outbox's feed: for each complaint event, one delivery per subscription that wants its type
 * and whose node the complaint concerns; idempotent per subscription and event, so an event the
 * transport brings twice is queued once. Runs in the consumer's transaction (applyOnce), a page of
 * events at a time (one event is a page of one).
 */
export function createWebhookEnqueuer(deps: { tree: () => OrganisationTree; schema?: string }): EventHandler {
  const schema = deps.schema ?? WEBHOOKS_SCHEMA;
  const handlePage = (events: readonly EventEnvelope[], tx: SqlQueryable, inEventTrace?: InEventTrace): Promise<void> =>
    enqueuePage(tx, schema, deps.tree(), events, inEventTrace ?? ((_index, work) => Promise.resolve(work())));
  return {
    name: ENQUEUER_NAME,
    handle: (event, tx) => handlePage([event], tx),
    handlePage,
  };
}

/**
 * A page of events into the outbox with at most six statements however many events it holds: the
 * stored states of its complaints read, their states after it written, the subscriptions its events
 * may match read and locked, its events and its deliveries inserted, and the dispatchers told.
 */
async function enqueuePage(
  tx: SqlQueryable,
  schema: string,
  tree: OrganisationTree,
  envelopes: readonly EventEnvelope[],
  inEventTrace: InEventTrace,
): Promise<void> {
  if (envelopes.length === 0) return;
  const ids = complaintsStoredBefore(envelopes);
  const stored =
    ids.length === 0
      ? []
      : await tx.query<{ complaint_id: string; state: ComplaintState }>(
          `SELECT complaint_id, state FROM ${schema}.complaints WHERE complaint_id = ANY($1::text[])`,
          [ids],
        );
  const page = foldPage(envelopes, new Map(stored.map((row) => [row.complaint_id, row.state])), tree);
  // in complaint order, so two pages written side by side lock the rows they share in the same order
  const complaints = page.complaints.sort((a, b) => (a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0));
  await tx.query(
    `INSERT INTO ${schema}.complaints (complaint_id, state, version)
     SELECT complaint_id, state, version FROM json_populate_recordset(NULL::${schema}.complaints, $1::json)
     ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
    [
      rowsAsJson(
        ['complaint_id', 'state', 'version'],
        complaints.map((complaint) => [complaint.complaintId, complaint.state, complaint.version.toString()]),
      ),
    ],
  );
  const rows = outboxRows(page.events, await candidatesFor(tx, schema, page.events));
  await insertEvents(tx, schema, rows.events);
  // each event's posts continue the trace of the request that caused it (its apply's, were it alone)
  const outboxed = new Set(rows.events.map((item) => item.eventId));
  const traceparents = new Map<string, string | null>();
  for (const [index, envelope] of envelopes.entries())
    if (outboxed.has(envelope.eventId)) traceparents.set(envelope.eventId, await inEventTrace(index, () => traceparentNow() ?? null));
  await queueDeliveries(tx, schema, rows.deliveries, '', (delivery) => traceparents.get(delivery.eventId) ?? null);
}

/**
 * Every subscription that may match one of the events, locked FOR SHARE (as `enqueue` locks those
 * of one event) in id order, so two pages lock the subscriptions they share in the same order. Read
 * for the page at once, so a superset: whether one matches an event is outboxRows' to decide.
 */
async function candidatesFor(tx: SqlQueryable, schema: string, events: readonly PageEvent[]): Promise<Candidate[]> {
  const heard = events.filter((item) => item.nodes.length > 0);
  if (heard.length === 0) return [];
  const rows = await tx.query<{ id: string; node_id: string; event_types: string[]; status: 'active' | 'paused'; created_ms: number | string }>(
    `SELECT id, node_id, event_types, status, extract(epoch FROM date_trunc('milliseconds', created_at)) * 1000 AS created_ms
     FROM ${schema}.subscriptions
     WHERE status IN ('active', 'paused') AND node_id = ANY($1::text[])
       AND (event_types && $2::text[] OR '*' = ANY(event_types))
       AND date_trunc('milliseconds', created_at) <= (SELECT max(at) FROM unnest($3::timestamptz[]) AS at)
     ORDER BY id FOR SHARE`,
    [[...new Set(heard.flatMap((item) => item.nodes))].sort(), [...new Set(heard.map((item) => item.event.type))].sort(), heard.map((item) => item.recordedAt)],
  );
  return rows.map((row) => ({ id: row.id, nodeId: row.node_id, eventTypes: row.event_types, status: row.status, createdMs: Number(row.created_ms) }));
}

async function insertEvents(tx: SqlQueryable, schema: string, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const names = EVENT_COLUMNS.join(', ');
  await tx.query(
    `INSERT INTO ${schema}.events (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${schema}.events, $1::json)
     ON CONFLICT (event_id) DO NOTHING`,
    [rowsAsJson(EVENT_COLUMNS, events.map(eventValues))],
  );
}

/**
 * Queues the deliveries in the order given (their ids are the order a subscription gets them in),
 * skipping any already queued, and tells listening dispatchers if one is pending: they claim it
 * at the commit. Each carries the traceparent its post continues. Answers how many were queued.
 */
async function queueDeliveries(
  tx: SqlQueryable,
  schema: string,
  deliveries: readonly Delivery[],
  replayId: string,
  traceparentOf: (delivery: Delivery) => string | null,
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const queued = await tx.query<{ status: string }>(
    `INSERT INTO ${schema}.deliveries (subscription_id, event_id, complaint_id, replay_id, status, traceparent)
     SELECT subscription_id, event_id, complaint_id, $2, status, traceparent
     FROM json_populate_recordset(NULL::${schema}.deliveries, $1::json) WITH ORDINALITY AS queued
     ORDER BY queued.ordinality
     ON CONFLICT (subscription_id, event_id, replay_id) DO NOTHING RETURNING status`,
    [
      rowsAsJson(
        ['subscription_id', 'event_id', 'complaint_id', 'status', 'traceparent'],
        deliveries.map((delivery) => [delivery.subscriptionId, delivery.eventId, delivery.complaintId, delivery.status, traceparentOf(delivery)]),
      ),
      replayId,
    ],
  );
  if (queued.some((row) => row.status === 'pending')) await tx.query(`SELECT pg_notify($1, '')`, [WEBHOOKS_CHANNEL]);
  return queued.length;
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
  const matching = await tx.query<{ id: string; status: 'active' | 'paused' }>(
    `SELECT id, status FROM ${schema}.subscriptions
     WHERE status IN ('active', 'paused') AND node_id = ANY($1::text[])
       AND ($2 = ANY(event_types) OR '*' = ANY(event_types))
       AND ($3::timestamptz IS NULL OR date_trunc('milliseconds', created_at) <= $3::timestamptz)
       AND ($4::uuid IS NULL OR id = $4::uuid)
     ORDER BY id FOR SHARE`,
    [nodes, item.event.type, target.sinceCreation ? item.recordedAt : null, target.subscriptionId],
  );
  if (matching.length === 0) return 0;
  await insertEvents(tx, schema, [item]);
  return queueDeliveries(
    tx,
    schema,
    matching.map((subscription) => deliveryOf(item, subscription)),
    target.replayId,
    // the span queuing them (the event's apply, or the replay's request): the posts continue its trace
    () => traceparentNow() ?? null,
  );
}
