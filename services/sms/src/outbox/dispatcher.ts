import { backoffDelay, mapLimit, startDueLoop, type DueLoop } from '@lapor/background';
import type { SqlRunner } from '@lapor/sql';
import { inSpan, markFailed, SpanKind, storedParent, tracingOn } from '@lapor/tracing';
import { SealError, type PersonalDataVault, type SealedIdentity } from '@lapor/personal-data';
import { normalisePhone } from '../phone/e164';
import { segmentSms } from '../segments/segment';
import { SMS_SCHEMA } from '../tables';
import type { SendOutcome, SmsSender } from './sender';

export interface DispatcherOptions {
  readonly db: SqlRunner;
  readonly vault: PersonalDataVault;
  readonly sender: SmsSender;
  readonly maxParts: number;
  readonly retry: { readonly firstMs: number; readonly maxMs: number; readonly giveUpAfterMs: number };
  /** A claimed message is its dispatcher's for this long; past it, another may take it over. */
  readonly leaseMs: number;
  readonly now?: () => Date;
  /** Messages claimed at once (default 50), sent `concurrency` at a time (default 8). */
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly log?: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  readonly schema?: string;
}

export interface DispatchResult {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

interface ClaimedRow {
  id: string;
  key: string;
  subject_id: string;
  sealed: SealedIdentity;
  ephemeral: boolean;
  body: string;
  attempts: number;
  created_at: Date | string;
  traceparent: string | null;
}

type Settled = { status: 'sent'; providerReference: string | null; encoding: string; parts: number } | { status: 'retry' | 'failed'; reason: string };

/**
 * Sends what the outbox holds. A batch is claimed by moving its next attempt past a lease, in one
 * statement `FOR UPDATE SKIP LOCKED`, so copies of the service share the work and no transaction is
 * held while the provider answers. A complaint's messages go one at a time, in the order queued, so
 * the reporter reads "forwarded" before "followed up" even across an outage. The phone is opened from the vault only here, just before
 * sending. A provider that fails (5xx, timeout) delays a message and loses none: it is tried again
 * with a growing pause; a refusal (4xx) ends it as failed, with the reason.
 */
export class OutboxDispatcher {
  private readonly schema: string;
  private loop: DueLoop | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.schema = options.schema ?? SMS_SCHEMA;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Sends everything due now, batch after batch. */
  async dispatch(): Promise<DispatchResult> {
    const totals = { sent: 0, retried: 0, failed: 0 };
    const batchSize = this.options.batchSize ?? 50;
    for (;;) {
      const claimed = await this.claim(batchSize);
      const outcomes = await mapLimit(claimed, this.options.concurrency ?? 8, (row) => this.deliver(row));
      await this.settle(claimed, outcomes);
      for (const outcome of outcomes) totals[outcome.status === 'sent' ? 'sent' : outcome.status === 'retry' ? 'retried' : 'failed']++;
      if (claimed.length < batchSize) return totals;
    }
  }

  private async claim(batchSize: number): Promise<ClaimedRow[]> {
    const now = this.now();
    return this.options.db.query<ClaimedRow>(
      // a complaint's messages one at a time, in order: none while an earlier one still waits
      `UPDATE ${this.schema}.outbox SET next_attempt_at = $2, attempts = attempts + 1
       WHERE id IN (SELECT o.id FROM ${this.schema}.outbox o
                    WHERE o.status = 'pending' AND o.next_attempt_at <= $1
                      AND (o.complaint_id IS NULL OR NOT EXISTS (
                        SELECT 1 FROM ${this.schema}.outbox e WHERE e.complaint_id = o.complaint_id AND e.status = 'pending' AND e.seq < o.seq))
                    ORDER BY o.next_attempt_at, o.seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, key, subject_id, sealed, ephemeral, body, attempts, created_at, traceparent`,
      [now.toISOString(), new Date(now.getTime() + this.options.leaseMs).toISOString(), batchSize],
    );
  }

  /** Sends one message and says what became of it; `settle` records that for the whole batch. */
  private async deliver(row: ClaimedRow): Promise<Settled> {
    const where = { outboxId: row.id, key: row.key, attempt: row.attempts };
    let settled: Settled;
    try {
      settled = await this.send(row);
    } catch (error) {
      // the vault or the database failed us: the message stays, and is tried again
      this.options.log?.error({ ...where, err: error }, 'sms: could not send; the message stays queued');
      return { status: 'retry', reason: String(error) };
    }
    if (settled.status === 'sent') {
      this.options.log?.info({ ...where, parts: settled.parts, encoding: settled.encoding }, 'sms sent');
    } else if (settled.status === 'retry' && this.now().getTime() - new Date(row.created_at).getTime() < this.options.retry.giveUpAfterMs) {
      this.options.log?.warn({ ...where, reason: settled.reason }, 'sms provider did not take the message; trying again later');
    } else {
      const reason = settled.status === 'retry' ? `gave up after ${row.attempts} attempts: ${settled.reason}` : settled.reason;
      this.options.log?.error({ ...where, reason }, 'sms failed for good; it is kept in the outbox with the reason');
      settled = { status: 'failed', reason };
    }
    return settled;
  }

  /**
   * What became of a batch, in three statements at most: sent, tried again later (each with its
   * own growing pause), failed. A message's own copy of the number is destroyed once it is done.
   */
  private async settle(rows: readonly ClaimedRow[], outcomes: readonly Settled[]): Promise<void> {
    const now = this.now();
    const sent = rows.flatMap((row, i) => (outcomes[i]!.status === 'sent' ? [{ row, outcome: outcomes[i] as Extract<Settled, { status: 'sent' }> }] : []));
    const later = rows.flatMap((row, i) => (outcomes[i]!.status === 'retry' ? [{ row, reason: (outcomes[i] as { reason: string }).reason }] : []));
    const failed = rows.flatMap((row, i) => (outcomes[i]!.status === 'failed' ? [{ row, reason: (outcomes[i] as { reason: string }).reason }] : []));
    if (sent.length > 0) {
      await this.options.db.query(
        `UPDATE ${this.schema}.outbox AS o SET status = 'sent', sent_at = $5, provider_reference = s.reference, encoding = s.encoding, parts = s.parts, last_error = NULL
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS s(id, reference, encoding, parts) WHERE o.id = s.id`,
        [
          sent.map((s) => s.row.id),
          sent.map((s) => s.outcome.providerReference),
          sent.map((s) => s.outcome.encoding),
          sent.map((s) => s.outcome.parts),
          now.toISOString(),
        ],
      );
    }
    if (later.length > 0) {
      await this.options.db.query(
        `UPDATE ${this.schema}.outbox AS o SET next_attempt_at = l.next, last_error = l.reason
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS l(id, next, reason) WHERE o.id = l.id AND o.status = 'pending'`,
        [
          later.map((l) => l.row.id),
          // doubling from firstMs up to maxMs, half of it random so the senders spread out after an outage
          later.map((l) => new Date(now.getTime() + backoffDelay(l.row.attempts, { ...this.options.retry, jitter: 'equal' })).toISOString()),
          later.map((l) => l.reason),
        ],
      );
    }
    if (failed.length > 0) {
      await this.options.db.query(
        `UPDATE ${this.schema}.outbox AS o SET status = 'failed', last_error = f.reason FROM unnest($1::uuid[], $2::text[]) AS f(id, reason) WHERE o.id = f.id`,
        [failed.map((f) => f.row.id), failed.map((f) => f.reason)],
      );
    }
    for (const { row } of [...sent, ...failed]) {
      if (row.ephemeral) await this.options.vault.erase(row.subject_id, 'sms-1708 outbox');
    }
  }

  private async send(row: ClaimedRow): Promise<Settled> {
    let identity;
    try {
      identity = await this.options.vault.open(row.subject_id, row.sealed);
    } catch (error) {
      if (error instanceof SealError) return { status: 'failed', reason: `the phone number cannot be opened: ${error.message}` };
      throw error;
    }
    if (!identity) return { status: 'failed', reason: 'the personal data was erased; nobody to send to' };
    const to = identity.phone ? normalisePhone(identity.phone) : null;
    if (!to) return { status: 'failed', reason: 'the sealed identity holds no phone number' };
    const segmented = segmentSms(row.body, this.options.maxParts);
    const outcome: SendOutcome = await sendSpan(row, segmented.encoding, segmented.parts.length, () =>
      this.options.sender.send({
        reference: row.id,
        to,
        text: segmented.parts.join(''),
        encoding: segmented.encoding,
        parts: segmented.parts,
      }),
    );
    switch (outcome.outcome) {
      case 'sent':
        return { status: 'sent', providerReference: outcome.providerReference, encoding: segmented.encoding, parts: segmented.parts.length };
      case 'retry':
        return { status: 'retry', reason: outcome.reason };
      case 'rejected':
        return { status: 'failed', reason: outcome.reason };
      default: {
        const unhandled: never = outcome;
        return unhandled;
      }
    }
  }

  /** When the next pending message is due, if any. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.options.db.query<{ due: Date | string | null }>(
      `SELECT min(next_attempt_at) AS due FROM ${this.schema}.outbox WHERE status = 'pending'`,
    );
    return row?.due ? new Date(row.due) : null;
  }

  /**
   * Dispatches now, then whenever a message falls due or this process queues one (`kick`), and at
   * least every `maxWaitMs`: what another copy queued waits for that poll at most.
   */
  start(maxWaitMs: number): void {
    this.loop ??= startDueLoop({
      maxWaitMs,
      now: () => this.now(),
      tick: async () => {
        await this.dispatch();
        return this.nextDueAt();
      },
      onError: (error) => this.options.log?.error({ err: error }, 'sms outbox: dispatch failed; retrying shortly (is the database reachable?)'),
    });
  }

  /** Something was queued: look now rather than at the next poll (a round running goes round once more). */
  kick(): void {
    this.loop?.wake();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}

/**
 * The provider's call as a client span under what queued the message (the row's traceparent).
 * Its attributes say how it went out, never to whom or what: no number, no text.
 */
function sendSpan(row: ClaimedRow, encoding: string, parts: number, send: () => Promise<SendOutcome>): Promise<SendOutcome> {
  if (!tracingOn()) return send();
  return inSpan(
    'sms send',
    SpanKind.CLIENT,
    { 'lapor.sms_kind': row.key.split(':', 1)[0]!, 'lapor.sms_encoding': encoding, 'lapor.sms_parts': parts, 'lapor.sms_attempt': row.attempts },
    async (span) => {
      const outcome = await send();
      span?.setAttribute('lapor.sms_outcome', outcome.outcome);
      if (outcome.outcome !== 'sent') markFailed(span, outcome.outcome === 'retry' ? 'not taken; tried again later' : 'refused by the provider');
      return outcome;
    },
    storedParent(row.traceparent),
  );
}
