import { startDueLoop, type DueLoop } from '@lapor/background';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import { inSpan, markFailed, SpanKind, storedParent, traceparentNow, tracingOn, TRACEPARENT } from '@lapor/tracing';
import { randomUUID } from 'node:crypto';
import { DestinationPolicy } from './destinations';
import { guardedFetch } from './guarded-fetch';
import { recordAttempts, recordDelivered, type AttemptResult, type RecordLog } from './outcomes';
import { deliveryBody } from './payload';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './policy';
import { postDelivery, type Fetch, type PostOutcome } from './post';
import {
  DELIVERY_ID_HEADER,
  EVENT_ID_HEADER,
  GLOBAL_POSITION_HEADER,
  EVENT_TYPE_HEADER,
  REPLAY_HEADER,
  signDelivery,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './signing';
import { WEBHOOKS_CHANNEL, WEBHOOKS_SCHEMA } from './tables';

export interface DispatcherLog extends RecordLog {
  error(object: object, message: string): void;
}

export interface DispatcherOptions {
  readonly db: SqlRunner;
  /** The clock: the wall clock in production, a hand-moved one in tests. */
  readonly now: () => Date;
  readonly policy?: Partial<DeliveryPolicy>;
  /** In [0, 1): the backoff's jitter. */
  readonly random?: () => number;
  /** Deliveries claimed at once by one lane (default 64). */
  readonly batchSize?: number;
  /** Posts in flight at once per lane (default 16). */
  readonly concurrency?: number;
  /** Claim-and-post loops run side by side (default 2): a slow receiver holds up one lane, not all. */
  readonly lanes?: number;
  /** Where deliveries may connect (default: public addresses only). Ignored when `fetch` is given. */
  readonly destinations?: DestinationPolicy;
  readonly fetch?: Fetch;
  readonly log?: DispatcherLog;
  readonly schema?: string;
}

export interface DispatchResult {
  readonly delivered: number;
  readonly failed: number;
  readonly paused: number;
}

// Written as correlated subqueries, not joins, on purpose: the plan must walk the due index in
// order and stop at the batch size (see inIndexOrder), checking only the rows it passes.
/** The first undelivered delivery of its subscription and complaint: nothing may overtake it. */
const QUEUE_HEAD = (schema: string) =>
  `d.id = (SELECT min(ahead.id) FROM ${schema}.deliveries ahead
           WHERE ahead.subscription_id = d.subscription_id AND ahead.complaint_id = d.complaint_id AND ahead.status IN ('pending', 'held'))`;
const SUBSCRIPTION_ACTIVE = (schema: string) => `(SELECT sub.status FROM ${schema}.subscriptions sub WHERE sub.id = d.subscription_id) = 'active'`;

/**
 * Runs a claim walking the due index in order, whatever the statistics say. An outbox fills in
 * bursts (a busy hour, a replay, a resumed receiver): with statistics taken before the burst, the
 * planner expects a handful of waiting rows and prefers fetching them all and sorting, evaluating
 * the queue-head check for every one (measured: 190 ms a claim of 128 among 20,000 waiting, against
 * under 1 ms walking the index and stopping at the batch). Scans other than the index, and sorts,
 * are priced out for this transaction only. Its commit does not wait for the disk: a lease lost
 * in a crash of the database only means the delivery is claimed again.
 */
async function inIndexOrder<T>(db: SqlRunner, claim: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(
      `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true),
              set_config('synchronous_commit', 'off', true)`,
    );
    return claim(tx);
  });
}

/** Record transactions one dispatcher runs at once. */
const RECORDERS = 4;

interface ClaimedRow {
  id: string;
  subscription_id: string;
  failures: number;
  replay_id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  complaint_id: string;
  tracking_id: string | null;
  occurred_at: string;
  global_position: string;
  data: unknown;
  traceparent: string | null;
}

/**
 * Posts the outbox. A lane claims a batch of due deliveries with FOR UPDATE SKIP LOCKED and leases
 * them (no transaction is held while posting: a receiver may take seconds), posts them, and records
 * the outcomes in group commits. Only the first undelivered delivery of each subscription and
 * complaint can be claimed, so a receiver never gets a complaint's event before the one before it;
 * a lease outlives the request's timeout, so two dispatchers never post one delivery at once, and
 * one that crashed lets go when its leases run out.
 */
export class WebhookDispatcher {
  private readonly schema: string;
  private readonly policy: DeliveryPolicy;
  private readonly leaseMs: number;
  private readonly fetchImpl: Fetch;
  private pendingRecords: { result: AttemptResult; done: (error?: unknown) => void }[] = [];
  private recorders = 0;
  private totals = { delivered: 0, failed: 0, paused: 0 };
  private summary = { at: Date.now(), delivered: 0, failed: 0, paused: 0 };
  private loop: DueLoop | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.schema = options.schema ?? WEBHOOKS_SCHEMA;
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.leaseMs = this.policy.timeoutMs * 2 + 30_000;
    this.fetchImpl = options.fetch ?? guardedFetch(options.destinations ?? new DestinationPolicy());
  }

  /** Posts everything due now until nothing is left that may go now; answers what came of it. */
  async dispatch(): Promise<DispatchResult> {
    const before = { ...this.totals };
    const lanes = Math.max(1, this.options.lanes ?? 2);
    await Promise.all(Array.from({ length: lanes }, () => this.runLane()));
    return { delivered: this.totals.delivered - before.delivered, failed: this.totals.failed - before.failed, paused: this.totals.paused - before.paused };
  }

  /**
   * One lane: keeps `concurrency` posts in flight from a buffer of claimed deliveries, claiming more
   * (one claim at a time) when the buffer runs low, so a slow receiver holds up its own post and
   * not a batch. Done when nothing is buffered or in flight and a claim begun after the last outcome
   * was recorded found nothing: a recorded outcome can make the next of its queue due, and a claim
   * already running when it was recorded may not have seen that.
   */
  private runLane(): Promise<void> {
    const concurrency = Math.max(1, this.options.concurrency ?? 16);
    const batchSize = Math.max(1, this.options.batchSize ?? 64);
    const buffer: { row: ClaimedRow; token: string }[] = [];
    // posts on the wire, and outcomes posted but not yet written: a post's slot is free once it is
    // answered, so the next post does not wait for the database
    let inFlight = 0;
    let recording = 0;
    let claiming = false;
    let exhausted = false;
    // outcomes recorded so far: a claim that began before the latest one may have missed what it made due
    let recorded = 0;
    let failure: { error: unknown } | undefined;
    return new Promise((resolve, reject) => {
      const pump = (): void => {
        while (!failure && inFlight < concurrency && buffer.length > 0) {
          const { row, token } = buffer.shift()!;
          inFlight++;
          void this.attempt(row, token).then((result) => {
            inFlight--;
            recording++;
            pump();
            return this.record(result).then(
              () => {
                recording--;
                recorded++;
                exhausted = false;
                pump();
              },
              (error: unknown) => {
                recording--;
                failure ??= { error };
                pump();
              },
            );
          });
        }
        // claim more while the buffer runs low, but never lease much more than is being worked on
        const outstanding = buffer.length + inFlight + recording;
        if (!failure && !claiming && !exhausted && buffer.length < Math.max(1, batchSize / 2) && outstanding < batchSize * 4) {
          claiming = true;
          const recordedBefore = recorded;
          this.claim(batchSize - buffer.length).then(
            ({ rows, token }) => {
              claiming = false;
              if (rows.length === 0 && recorded === recordedBefore) exhausted = true;
              for (const row of rows) buffer.push({ row, token });
              pump();
            },
            (error: unknown) => {
              claiming = false;
              failure ??= { error };
              pump();
            },
          );
        }
        if (inFlight === 0 && recording === 0 && !claiming && (failure || (exhausted && buffer.length === 0))) {
          // what was claimed and not posted is let go when its lease runs out
          if (failure) reject(failure.error);
          else resolve();
        }
      };
      pump();
    });
  }

  /** Claims up to `limit` due queue heads and leases them to this dispatcher. */
  private async claim(limit: number): Promise<{ rows: ClaimedRow[]; token: string }> {
    const now = this.options.now();
    const token = randomUUID();
    const s = this.schema;
    const rows = await inIndexOrder(this.options.db, (tx) =>
      tx.query<ClaimedRow>(
        `WITH due AS (
           SELECT d.id FROM ${s}.deliveries d
           WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.leased_until IS NULL OR d.leased_until <= $1)
             AND ${QUEUE_HEAD(s)} AND ${SUBSCRIPTION_ACTIVE(s)}
           ORDER BY d.next_attempt_at, d.id
           LIMIT $2
           FOR UPDATE OF d SKIP LOCKED)
         UPDATE ${s}.deliveries AS d SET leased_until = $3, lease_token = $4
         FROM due, ${s}.events ev, ${s}.subscriptions sub
         WHERE d.id = due.id AND ev.event_id = d.event_id AND sub.id = d.subscription_id
           AND d.status = 'pending' AND (d.leased_until IS NULL OR d.leased_until <= $1)
         RETURNING d.id::text AS id, d.subscription_id, d.failures, d.replay_id, sub.url, sub.secret,
           ev.event_id, ev.type, ev.complaint_id, ev.tracking_id, ev.occurred_at, ev.global_position::text AS global_position, ev.data,
           d.traceparent`,
        [now.toISOString(), limit, new Date(now.getTime() + this.leaseMs).toISOString(), token],
      ),
    );
    // a claim answers in no particular order: oldest first, as they were due
    rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    return { rows, token };
  }

  private async attempt(row: ClaimedRow, leaseToken: string): Promise<AttemptResult> {
    const attemptedAt = this.options.now();
    const replay = row.replay_id !== '';
    const body = deliveryBody(
      { id: row.event_id, type: row.type, occurredAt: row.occurred_at, complaintId: row.complaint_id, trackingId: row.tracking_id, data: row.data },
      replay,
    );
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'SP4N-LAPOR-Webhooks/1',
      [EVENT_ID_HEADER]: row.event_id,
      [EVENT_TYPE_HEADER]: row.type,
      [DELIVERY_ID_HEADER]: row.id,
      [GLOBAL_POSITION_HEADER]: row.global_position,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signDelivery(row.secret, timestamp, body),
      [REPLAY_HEADER]: String(replay),
    };
    const outcome = await deliverySpan(row, (traceparent) =>
      postDelivery(this.fetchImpl, row.url, traceparent ? { ...headers, [TRACEPARENT]: traceparent } : headers, body, this.policy.timeoutMs),
    );
    return {
      deliveryId: row.id,
      subscriptionId: row.subscription_id,
      leaseToken,
      failuresBefore: Number(row.failures),
      attemptedAt,
      outcome,
      host: hostOf(row.url),
      eventId: row.event_id,
    };
  }

  /**
   * Queues the result for a group commit; resolves once it is written. Up to RECORDERS groups are
   * written at once: a commit waits on the disk, and a fan-out's successes lock nothing shared.
   */
  private record(result: AttemptResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingRecords.push({ result, done: (error) => (error ? reject(error) : resolve()) });
      if (this.recorders < RECORDERS) {
        this.recorders++;
        void this.recordPending();
      }
    });
  }

  private async recordPending(): Promise<void> {
    for (;;) {
      const group = this.pendingRecords.splice(0);
      // checked and counted down in one step, so a result queued meanwhile is never left behind
      if (group.length === 0) {
        this.recorders--;
        return;
      }
      try {
        const results = group.map((entry) => entry.result);
        const recorded = results.every((result) => result.outcome.ok)
          ? await recordDelivered(this.options.db, this.schema, results)
          : await this.options.db.transaction(async (tx) => {
              // not waiting for the disk: an outcome lost in a crash of the database is a delivery
              // posted again, which receivers expect anyway (they dedupe on the event id)
              await tx.query(`SELECT set_config('synchronous_commit', 'off', true)`);
              return recordAttempts(tx, this.schema, results, this.policy, {
                now: this.options.now(),
                random: this.options.random ?? Math.random,
                ...(this.options.log ? { log: this.options.log } : {}),
              });
            });
        this.totals.delivered += recorded.delivered;
        this.totals.failed += recorded.failed;
        this.totals.paused += recorded.paused;
        for (const entry of group) entry.done();
      } catch (error) {
        // not recorded: the leases run out and the deliveries are posted again (receivers dedupe on the id)
        this.options.log?.error(
          { err: error, deliveries: group.length },
          'could not record webhook attempts; those deliveries go out again when their leases expire (is the database reachable?)',
        );
        for (const entry of group) entry.done(error);
      }
    }
  }

  /**
   * When the next delivery may go: the earliest head of a queue of an active subscription that no
   * dispatcher is posting (one in flight elsewhere is that dispatcher's to record).
   */
  async nextDueAt(): Promise<Date | null> {
    const s = this.schema;
    const [row] = await inIndexOrder(this.options.db, (tx) =>
      tx.query<{ due: Date | string | number }>(
        `SELECT d.next_attempt_at AS due FROM ${s}.deliveries d
         WHERE d.status = 'pending' AND (d.leased_until IS NULL OR d.leased_until <= $1) AND ${QUEUE_HEAD(s)} AND ${SUBSCRIPTION_ACTIVE(s)}
         ORDER BY d.next_attempt_at, d.id LIMIT 1`,
        [this.options.now().toISOString()],
      ),
    );
    if (!row) return null;
    const due = row.due instanceof Date ? row.due : new Date(row.due);
    return Number.isNaN(due.getTime()) ? new Date(0) : due;
  }

  /**
   * Dispatches now, then again when told deliveries are due (NOTIFY on WEBHOOKS_CHANNEL, or `poke`),
   * when the next retry falls due, and at least every `maxWaitMs`.
   */
  start(maxWaitMs = 1_000): void {
    void this.options.db
      .listen(WEBHOOKS_CHANNEL, () => this.poke())
      .then((stop) => (this.stopped ? void stop() : (this.stopListening = stop)))
      .catch((error: unknown) =>
        this.options.log?.warn({ err: error }, `cannot LISTEN on ${WEBHOOKS_CHANNEL}; new deliveries wait for the next poll (every ${maxWaitMs} ms)`),
      );
    this.loop ??= startDueLoop({
      maxWaitMs,
      now: this.options.now,
      tick: async () => {
        await this.dispatch();
        this.summarise();
        return this.nextDueAt();
      },
      onError: (error) => this.options.log?.error({ err: error }, 'webhook dispatch failed; retrying shortly (is the database reachable?)'),
    });
  }

  /** A line a minute, when anything went out or failed: one per dispatch would flood the log. */
  private summarise(): void {
    const now = Date.now();
    if (now - this.summary.at < 60_000) return;
    const since = {
      delivered: this.totals.delivered - this.summary.delivered,
      failed: this.totals.failed - this.summary.failed,
      paused: this.totals.paused - this.summary.paused,
    };
    if (since.delivered + since.failed > 0) {
      this.options.log?.info(
        { ...since, seconds: Math.round((now - this.summary.at) / 1000) },
        `webhooks since the last summary: ${since.delivered} delivered, ${since.failed} failed attempts, ${since.paused} subscriptions paused`,
      );
    }
    this.summary = { at: now, ...this.totals };
  }

  /** Deliveries became due (a resume, a replay, an event in this process): dispatch without waiting. */
  poke(): void {
    this.loop?.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.stop();
    await this.stopListening?.();
  }
}

/**
 * The post as a client span under what queued the delivery (the row's traceparent), its own
 * traceparent sent along so the receiver can join the trace. Named by host and event type: the
 * URL's path and query may hold the subscriber's secrets, the body a complaint's words.
 */
function deliverySpan(row: ClaimedRow, post: (traceparent: string | undefined) => Promise<PostOutcome>): Promise<PostOutcome> {
  if (!tracingOn()) return post(undefined);
  const attributes = {
    'http.request.method': 'POST',
    'server.address': hostOf(row.url),
    'lapor.event_type': row.type,
    'lapor.replay': row.replay_id !== '',
    'lapor.delivery_failures_before': Number(row.failures),
  };
  return inSpan(
    'webhook deliver',
    SpanKind.CLIENT,
    attributes,
    async (span) => {
      const outcome = await post(traceparentNow());
      if (outcome.statusCode !== null) span?.setAttribute('http.response.status_code', outcome.statusCode);
      if (!outcome.ok) markFailed(span, outcome.statusCode === null ? 'no HTTP answer' : `HTTP ${outcome.statusCode}`);
      return outcome;
    },
    storedParent(row.traceparent),
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
