import type { SqlRunner } from '@lapor/sql';
import { outboxInsert, outboxParameters, type QueuedSms } from '../outbox/outbox';
import { SMS_SCHEMA } from '../tables';
import type { InboundAnswer } from './act';

/** A message still being handled after this long was abandoned (its process died): a retry takes it over. */
export const ABANDONED_AFTER_MS = 60_000;

export type Claim =
  /** New, or abandoned and taken over: handle it. */
  | { readonly kind: 'claimed'; readonly takeover: boolean }
  /** Handled before: answer the same. */
  | { readonly kind: 'done'; readonly answer: InboundAnswer }
  | { readonly kind: 'in_progress' }
  /** The provider sent another message under an id it used before. */
  | { readonly kind: 'reused' };

/**
 * The provider's message ids seen: the first request claims its id; a retry of a message handled
 * is answered as the first time, one still being handled waits (409), one whose handler died is
 * taken over after a minute.
 */
export class InboundLedger {
  constructor(
    private readonly db: SqlRunner,
    private readonly schema = SMS_SCHEMA,
  ) {}

  async claim(provider: string, messageId: string, fingerprint: string, now: Date, receivedAt: string | null): Promise<Claim> {
    const inserted = await this.db.query(
      `INSERT INTO ${this.schema}.inbound_messages (provider, message_id, fingerprint, state, claimed_at, received_at)
       VALUES ($1, $2, $3, 'processing', $4, $5) ON CONFLICT (provider, message_id) DO NOTHING RETURNING 1`,
      [provider, messageId, fingerprint, now.toISOString(), receivedAt],
    );
    if (inserted.length > 0) return { kind: 'claimed', takeover: false };
    const [row] = await this.db.query<{ fingerprint: string; state: string; claimed_at: Date | string; answer: InboundAnswer | null }>(
      `SELECT fingerprint, state, claimed_at, answer FROM ${this.schema}.inbound_messages WHERE provider = $1 AND message_id = $2`,
      [provider, messageId],
    );
    // released between the two statements (its handler failed): claim it again
    if (!row) return this.claim(provider, messageId, fingerprint, now, receivedAt);
    if (row.fingerprint !== fingerprint) return { kind: 'reused' };
    if (row.state === 'done' && row.answer) return { kind: 'done', answer: row.answer };
    const abandonedBefore = new Date(now.getTime() - ABANDONED_AFTER_MS);
    if (new Date(row.claimed_at) > abandonedBefore) return { kind: 'in_progress' };
    // of two retries taking it over at once, one does
    const taken = await this.db.query(
      `UPDATE ${this.schema}.inbound_messages SET claimed_at = $3 WHERE provider = $1 AND message_id = $2 AND state = 'processing' AND claimed_at <= $4 RETURNING 1`,
      [provider, messageId, now.toISOString(), abandonedBefore.toISOString()],
    );
    return taken.length > 0 ? { kind: 'claimed', takeover: true } : { kind: 'in_progress' };
  }

  /**
   * The answer and the replies, in one statement (so one commit): a message is done exactly when
   * its replies are queued.
   */
  async complete(provider: string, messageId: string, answer: InboundAnswer, replies: readonly QueuedSms[], now: Date): Promise<void> {
    await this.db.query(
      `WITH queued AS (${outboxInsert(this.schema, 5)} RETURNING 1)
       UPDATE ${this.schema}.inbound_messages SET state = 'done', completed_at = $12, action = $3, answer = $4::jsonb
       WHERE provider = $1 AND message_id = $2`,
      [provider, messageId, answer.action, JSON.stringify(answer), ...outboxParameters(replies, now)],
    );
  }

  /** Handling failed (the store was down): the provider's retry starts afresh instead of waiting a minute. */
  async release(provider: string, messageId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.schema}.inbound_messages WHERE provider = $1 AND message_id = $2 AND state = 'processing'`, [provider, messageId]);
  }
}
