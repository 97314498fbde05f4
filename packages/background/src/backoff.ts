/**
 * How long to wait after a failure: doubling from `firstMs` with each failure in a row, up to
 * `maxMs`. The in-process loops wait exactly that. An outbox spreads it with equal jitter (between
 * half and all of it), so the senders retrying after an outage do not all come back in the same second.
 */
export interface BackoffPolicy {
  readonly firstMs: number;
  readonly maxMs: number;
  readonly jitter?: 'none' | 'equal';
}

// 2^30 times any first pause is past every cap; a larger exponent only risks Infinity × 0
const MAX_EXPONENT = 30;

/**
 * The pause after `failures` failures in a row (1 = the first). Pure: an outbox keeps the count in
 * its table and brings the randomness; `random` answers in [0, 1).
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(failures - 1, MAX_EXPONENT));
  const ceiling = Math.min(policy.maxMs, policy.firstMs * 2 ** exponent);
  if (policy.jitter !== 'equal') return ceiling;
  const spread = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * spread);
}

/** The failures in a row of one loop: each `next()` is the pause after one more, `reset()` after a success. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    this.failures++;
    return backoffDelay(this.failures, this.policy, this.random);
  }

  reset(): void {
    this.failures = 0;
  }
}
