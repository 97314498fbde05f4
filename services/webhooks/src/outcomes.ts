import type { SqlQueryable } from '@lapor/sql';
import { pauseReason, retryDelayMs, type DeliveryPolicy } from './policy';
import type { PostOutcome } from './post';

/** A claimed delivery and what its attempt came to. */
export interface AttemptResult {
  readonly deliveryId: string;
  readonly subscriptionId: string;
  readonly leaseToken: string;
  /** Its failures before this attempt (since the subscription was last resumed). */
  readonly failuresBefore: number;
  readonly attemptedAt: Date;
  readonly outcome: PostOutcome;
  /** For log lines: the receiver's host, never its path (it may hold a token). */
  readonly host: string;
  readonly eventId: string;
}

export interface RecordLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface Recorded {
  readonly delivered: number;
  readonly failed: number;
  /** Subscriptions paused by these results. */
  readonly paused: number;
}

/**
 * A delivery that no dispatcher is posting (never leased, or its lease ran out): what a pause, a
 * resume or a delete may change. One in flight is settled by its outcome instead. `$2` is now.
 */
export const SETTLED_HERE = '(lease_token IS NULL OR leased_until <= $2)';

interface Standing {
  status: string;
  consecutive_failures: number;
  failing_since: Date | string | null;
}

/**
 * Writes a group of attempts in one transaction: each delivery delivered or due again after its
 * backoff, each attempt logged, and each subscription's run of failures carried on or ended; a
 * subscription whose failures cross the policy's line is paused and its waiting deliveries held.
 *
 * Only the subscriptions whose standing changes are locked (those with a failure here, and those
 * with a run of failures a success here ends), in id order, in one statement, as everything else
 * that locks several does: a group of successes to subscriptions in good standing locks none, so
 * record transactions of a fan-out to many subscriptions run side by side instead of in turn.
 * Pausing, resuming and deleting leave deliveries in flight (leased) alone; their outcome settles
 * them here, under the subscription's lock, so no two statements fight over the same rows.
 */
export async function recordAttempts(
  tx: SqlQueryable,
  schema: string,
  results: readonly AttemptResult[],
  policy: DeliveryPolicy,
  context: { now: Date; random: () => number; log?: RecordLog },
): Promise<Recorded> {
  const delivered = results.filter((result) => result.outcome.ok);
  const failed = results.filter((result) => !result.outcome.ok);
  const failing = [...new Set(failed.map((result) => result.subscriptionId))];
  const succeeding = [...new Set(delivered.map((result) => result.subscriptionId))];
  const rows = await tx.query<Standing & { id: string }>(
    `SELECT id, status, consecutive_failures, failing_since FROM ${schema}.subscriptions
     WHERE id = ANY($1::uuid[]) OR (id = ANY($2::uuid[]) AND (consecutive_failures > 0 OR failing_since IS NOT NULL))
     ORDER BY id FOR UPDATE`,
    [failing, succeeding],
  );
  const standings = new Map(rows.map((row) => [row.id, { ...row, changed: false }]));

  if (delivered.length > 0) {
    await tx.query(
      `UPDATE ${schema}.deliveries AS d SET status = 'delivered', delivered_at = r.at, attempts = d.attempts + 1, leased_until = NULL, lease_token = NULL,
         last_status_code = r.code, last_error = NULL
       FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::int[]) AS r(id, token, at, code)
       WHERE d.id = r.id AND d.lease_token = r.token`,
      [
        delivered.map((r) => r.deliveryId),
        delivered.map((r) => r.leaseToken),
        delivered.map((r) => r.attemptedAt.toISOString()),
        delivered.map((r) => r.outcome.statusCode),
      ],
    );
  }
  if (failed.length > 0) {
    const retryAt = failed.map((r) => new Date(context.now.getTime() + retryDelayMs(r.failuresBefore + 1, policy, context.random())));
    // paused or deleted while this was in flight: held, or cancelled, now
    const settledAs: Record<string, string> = { paused: 'held', deleted: 'cancelled' };
    const settled = failed.map((r) => settledAs[standings.get(r.subscriptionId)?.status ?? ''] ?? null);
    await tx.query(
      `UPDATE ${schema}.deliveries AS d SET attempts = d.attempts + 1, failures = d.failures + 1, next_attempt_at = r.retry_at,
         leased_until = NULL, lease_token = NULL, last_status_code = r.code, last_error = r.error, status = coalesce(r.settled, d.status)
       FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::int[], $5::text[], $6::text[]) AS r(id, token, retry_at, code, error, settled)
       WHERE d.id = r.id AND d.lease_token = r.token`,
      [
        failed.map((r) => r.deliveryId),
        failed.map((r) => r.leaseToken),
        retryAt.map((at) => at.toISOString()),
        failed.map((r) => r.outcome.statusCode),
        failed.map((r) => r.outcome.error),
        settled,
      ],
    );
    failed.forEach((r, index) =>
      context.log?.warn(
        {
          subscriptionId: r.subscriptionId,
          host: r.host,
          deliveryId: r.deliveryId,
          eventId: r.eventId,
          statusCode: r.outcome.statusCode,
          error: r.outcome.error,
          failures: r.failuresBefore + 1,
          retryAt: retryAt[index]!.toISOString(),
        },
        `webhook delivery to ${r.host} failed (${r.outcome.error}); retrying at ${retryAt[index]!.toISOString()}`,
      ),
    );
  }
  await tx.query(
    `INSERT INTO ${schema}.attempts (delivery_id, attempted_at, outcome, status_code, latency_ms, error)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::int[], $5::int[], $6::text[])`,
    [
      results.map((r) => r.deliveryId),
      results.map((r) => r.attemptedAt.toISOString()),
      results.map((r) => (r.outcome.ok ? 'delivered' : 'failed')),
      results.map((r) => r.outcome.statusCode),
      results.map((r) => r.outcome.latencyMs),
      results.map((r) => r.outcome.error),
    ],
  );

  // each subscription's run of failures, in the order the attempts finished
  const toPause = new Map<string, { reason: string; host: string }>();
  for (const result of results) {
    const standing = standings.get(result.subscriptionId);
    if (!standing) continue;
    if (result.outcome.ok) {
      if (standing.consecutive_failures !== 0 || standing.failing_since !== null)
        Object.assign(standing, { consecutive_failures: 0, failing_since: null, changed: true });
      continue;
    }
    standing.consecutive_failures += 1;
    standing.failing_since ??= result.attemptedAt;
    standing.changed = true;
    if (standing.status !== 'active' || toPause.has(result.subscriptionId)) continue;
    const reason = pauseReason(
      {
        consecutiveFailures: standing.consecutive_failures,
        failingSince: new Date(standing.failing_since),
        deliveryFailures: result.failuresBefore + 1,
        statusCode: result.outcome.statusCode,
        error: result.outcome.error ?? 'unknown',
        now: context.now,
      },
      policy,
    );
    if (reason) toPause.set(result.subscriptionId, { reason, host: result.host });
  }
  const changed = [...standings.entries()].filter(([, standing]) => standing.changed);
  if (changed.length > 0) {
    await tx.query(
      `UPDATE ${schema}.subscriptions AS s SET consecutive_failures = c.failures, failing_since = c.since
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS c(id, failures, since) WHERE s.id = c.id`,
      [
        changed.map(([id]) => id),
        changed.map(([, standing]) => standing.consecutive_failures),
        changed.map(([, standing]) => (standing.failing_since === null ? null : new Date(standing.failing_since).toISOString())),
      ],
    );
  }
  for (const [subscriptionId, { reason, host }] of toPause) {
    await tx.query(`UPDATE ${schema}.subscriptions SET status = 'paused', paused_reason = $2, paused_at = $3 WHERE id = $1`, [
      subscriptionId,
      reason,
      context.now.toISOString(),
    ]);
    const held = await tx.query(
      `UPDATE ${schema}.deliveries SET status = 'held' WHERE subscription_id = $1 AND status = 'pending' AND ${SETTLED_HERE}
       RETURNING id`,
      [subscriptionId, context.now.toISOString()],
    );
    context.log?.warn(
      { subscriptionId, host, reason, held: held.length },
      `webhook subscription ${subscriptionId} to ${host} paused: ${reason}; ${held.length} deliveries held until POST /webhooks/subscriptions/${subscriptionId}/resume`,
    );
  }
  return { delivered: delivered.length, failed: failed.length, paused: toPause.size };
}

/**
 * A group of successes alone, the common case, in one statement and so one round trip: each
 * delivered, each attempt logged, and the run of failures ended of any subscription that had one
 * (locked first, in id order, as the full path does). Its commit does not wait for the disk (see
 * the dispatcher): an outcome lost in a crash of the database is a delivery posted again.
 */
export async function recordDelivered(db: SqlQueryable, schema: string, results: readonly AttemptResult[]): Promise<Recorded> {
  const [row] = await db.query<{ delivered: string | number }>(
    `WITH durability AS (SELECT set_config('synchronous_commit', 'off', true)),
     standing AS (
       SELECT id FROM ${schema}.subscriptions WHERE id = ANY($5::uuid[]) AND (consecutive_failures > 0 OR failing_since IS NOT NULL) ORDER BY id FOR UPDATE),
     reset AS (
       UPDATE ${schema}.subscriptions AS s SET consecutive_failures = 0, failing_since = NULL FROM standing WHERE s.id = standing.id RETURNING s.id),
     delivered AS (
       UPDATE ${schema}.deliveries AS d SET status = 'delivered', delivered_at = r.at, attempts = d.attempts + 1, leased_until = NULL, lease_token = NULL,
         last_status_code = r.code, last_error = NULL
       FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::int[]) AS r(id, token, at, code)
       WHERE d.id = r.id AND d.lease_token = r.token RETURNING d.id),
     logged AS (
       INSERT INTO ${schema}.attempts (delivery_id, attempted_at, outcome, status_code, latency_ms, error)
       SELECT id, at, 'delivered', code, latency, NULL FROM unnest($1::bigint[], $3::timestamptz[], $4::int[], $6::int[]) AS a(id, at, code, latency)
       RETURNING 1)
     SELECT (SELECT count(*) FROM delivered) AS delivered, (SELECT count(*) FROM durability) AS durability,
            (SELECT count(*) FROM reset) AS reset, (SELECT count(*) FROM logged) AS logged`,
    [
      results.map((r) => r.deliveryId),
      results.map((r) => r.leaseToken),
      results.map((r) => r.attemptedAt.toISOString()),
      results.map((r) => r.outcome.statusCode),
      [...new Set(results.map((r) => r.subscriptionId))],
      results.map((r) => r.outcome.latencyMs),
    ],
  );
  // one whose lease was lost (taken over after expiry) is the other dispatcher's to count
  return { delivered: Number(row?.delivered ?? 0), failed: 0, paused: 0 };
}
