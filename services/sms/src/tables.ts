import { ensureSchema, type SqlRunner } from '@lapor/sql';

export const SMS_SCHEMA = 'sms';

/**
 * The SMS channel's own tables. No phone number is stored in any of them in clear: replies carry it
 * sealed (per complaint, or per inbound message), and the sender is known by a keyed hash.
 */
export async function prepareSmsTables(db: SqlRunner, schema = SMS_SCHEMA): Promise<void> {
  await ensureSchema(
    db,
    schema,
    `
      -- each provider message seen, so a retry is answered as the first time and does nothing new
      CREATE TABLE IF NOT EXISTS ${schema}.inbound_messages (
        provider text NOT NULL,
        message_id text NOT NULL,
        -- keyed hash of (message id, sender, text): the same id with other content is refused
        fingerprint text NOT NULL,
        -- processing (claimed, not finished) or done
        state text NOT NULL,
        claimed_at timestamptz NOT NULL,
        received_at timestamptz,
        completed_at timestamptz,
        action text,
        answer jsonb,
        PRIMARY KEY (provider, message_id)
      );
      -- replies and notices waiting to go out, and what became of them
      CREATE TABLE IF NOT EXISTS ${schema}.outbox (
        id uuid PRIMARY KEY,
        -- queue order: a complaint's messages go out one at a time, in this order
        seq bigserial NOT NULL,
        -- what the message answers, once: reply:<provider>:<message id>, notice:<complaint>:<version>
        key text NOT NULL UNIQUE,
        complaint_id text,
        -- the vault subject the phone is sealed under, and the sealed identity
        subject_id text NOT NULL,
        sealed jsonb NOT NULL,
        -- the subject is this message's alone: its key is destroyed once the message is done
        ephemeral boolean NOT NULL,
        body text NOT NULL,
        -- pending, sent, failed
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        last_error text,
        provider_reference text,
        encoding text,
        parts integer
      );
      CREATE INDEX IF NOT EXISTS outbox_due ON ${schema}.outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS outbox_complaint_queue ON ${schema}.outbox (complaint_id, seq) WHERE status = 'pending';
      -- complaints that came in by this channel: where their notices go, and their state to tell a change
      CREATE TABLE IF NOT EXISTS ${schema}.complaints (
        complaint_id text PRIMARY KEY,
        tracking_id text NOT NULL,
        reporter jsonb NOT NULL,
        state jsonb NOT NULL,
        version bigint NOT NULL
      );

      -- Added after the first release (so by ALTER, for tables made before it): the W3C traceparent
      -- of what queued the message (an event's apply, an inbound SMS's request), so the send is a
      -- span of that trace. NULL for rows queued before, or while tracing was off: a trace of its own.
      ALTER TABLE ${schema}.outbox ADD COLUMN IF NOT EXISTS traceparent text;`,
  );
}
