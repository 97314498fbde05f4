import { ensureSchema, type SqlRunner } from '@lapor/sql';

export const WEBHOOKS_SCHEMA = 'webhooks';
/** Told (NOTIFY) when deliveries become due at once: new events, a resume, a replay. */
export const WEBHOOKS_CHANNEL = 'lapor_webhooks';

/**
 * The subscriptions, the outbox of deliveries with each attempt, the events as they may leave
 * (stored once however many subscribers), and the complaints folded to know whose business an
 * event is. Nothing here is personal data: the events are stored already stripped of it.
 */
export async function prepareWebhookTables(db: SqlRunner, schema = WEBHOOKS_SCHEMA): Promise<void> {
  await ensureSchema(
    db,
    schema,
    `
      CREATE TABLE IF NOT EXISTS ${schema}.subscriptions (
        id uuid PRIMARY KEY,
        -- the instansi (or nasional) whose complaints it hears
        node_id text NOT NULL,
        url text NOT NULL,
        -- complaint event types, or {*}
        event_types text[] NOT NULL,
        description text,
        -- the HMAC key; shown once, at registration
        secret text NOT NULL,
        -- active, paused (deliveries held), deleted (pending ones cancelled)
        status text NOT NULL DEFAULT 'active',
        paused_reason text,
        paused_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        -- who registered it: api-key:<id> or staff:<id>
        created_by text NOT NULL,
        -- events recorded before this are not delivered (a replay brings them)
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS subscriptions_node ON ${schema}.subscriptions (node_id) WHERE status <> 'deleted';

      CREATE TABLE IF NOT EXISTS ${schema}.events (
        event_id uuid PRIMARY KEY,
        complaint_id text NOT NULL,
        type text NOT NULL,
        tracking_id text,
        occurred_at text NOT NULL,
        global_position bigint NOT NULL,
        stream_version bigint NOT NULL,
        -- the event's data without personal data: what is delivered
        data jsonb NOT NULL
      );

      -- Room left in each page, so that leasing a delivery (no indexed column changes) is a HOT
      -- update that touches none of its five indexes.
      CREATE TABLE IF NOT EXISTS ${schema}.deliveries (
        -- also the order: a subscription gets a complaint's deliveries in this order
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES ${schema}.subscriptions (id),
        event_id uuid NOT NULL REFERENCES ${schema}.events (event_id),
        complaint_id text NOT NULL,
        -- '' for the live delivery, else the replay that asked for it again
        replay_id text NOT NULL DEFAULT '',
        -- pending, held (its subscription is paused), delivered, cancelled
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        -- failures since the subscription was last resumed: what the backoff and the limit count
        failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
        -- a dispatcher posting it holds it until then (a crashed one lets go by itself)
        leased_until timestamptz,
        lease_token uuid,
        last_status_code integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, event_id, replay_id)
      ) WITH (fillfactor = 70);
      CREATE INDEX IF NOT EXISTS deliveries_due ON ${schema}.deliveries (next_attempt_at, id) WHERE status = 'pending';
      -- what is ahead of a delivery in its queue (same subscription and complaint)
      CREATE INDEX IF NOT EXISTS deliveries_queue ON ${schema}.deliveries (subscription_id, complaint_id, id) WHERE status IN ('pending', 'held');
      CREATE INDEX IF NOT EXISTS deliveries_listing ON ${schema}.deliveries (subscription_id, id);

      CREATE TABLE IF NOT EXISTS ${schema}.attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES ${schema}.deliveries (id),
        attempted_at timestamptz NOT NULL,
        -- delivered, failed
        outcome text NOT NULL,
        status_code integer,
        latency_ms integer NOT NULL,
        error text
      );
      CREATE INDEX IF NOT EXISTS attempts_delivery ON ${schema}.attempts (delivery_id, id);

      CREATE TABLE IF NOT EXISTS ${schema}.replays (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES ${schema}.subscriptions (id),
        from_point text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        enqueued integer NOT NULL
      );

      CREATE TABLE IF NOT EXISTS ${schema}.complaints (
        complaint_id text PRIMARY KEY,
        -- the complaint folded by the domain's evolve, its reporter reference removed
        state jsonb NOT NULL,
        version bigint NOT NULL
      );

      -- Added after the first release (so by ALTER, for tables made before it): the W3C traceparent
      -- of what queued the delivery (the apply of its event, or a replay's request), so the post is
      -- a span of that trace. NULL for rows queued before, or while tracing was off: a trace of its own.
      ALTER TABLE ${schema}.deliveries ADD COLUMN IF NOT EXISTS traceparent text;`,
  );
}
