import { backoffDelay } from '@lapor/background';

// When a failed delivery is tried again, and when a receiver has failed long enough to be paused.
// Pure: the dispatcher brings the clock and the randomness.

export interface DeliveryPolicy {
  /** A receiver that has not answered by then has failed this attempt. */
  readonly timeoutMs: number;
  /** Failures of one delivery (since the subscription was last resumed) that pause the subscription. */
  readonly maxAttempts: number;
  /** The pause after the first failure; it doubles with each further failure… */
  readonly retryBaseMs: number;
  /** …up to this. */
  readonly retryMaxMs: number;
  /** Failures in a row, across the subscription's deliveries, that pause it. */
  readonly pauseAfterFailures: number;
  /** Failing, without one success, for this long pauses it. */
  readonly pauseAfterMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 10,
  retryBaseMs: 10_000,
  retryMaxMs: 60 * 60_000,
  pauseAfterFailures: 20,
  pauseAfterMs: 60 * 60_000,
};

/**
 * The pause before the next attempt after `failures` failures (1 = the first): exponential, capped,
 * with "equal jitter" (between half and all of it), so receivers coming back from an outage are not
 * hit by every subscriber's retries in the same second. `random` is in [0, 1).
 */
export function retryDelayMs(failures: number, policy: Pick<DeliveryPolicy, 'retryBaseMs' | 'retryMaxMs'>, random: number): number {
  return backoffDelay(failures, { firstMs: policy.retryBaseMs, maxMs: policy.retryMaxMs, jitter: 'equal' }, () => random);
}

export interface FailureStanding {
  /** The subscription's failures in a row, this one included. */
  readonly consecutiveFailures: number;
  /** The first of those failures. */
  readonly failingSince: Date;
  /** This delivery's failures since the subscription was last resumed, this one included. */
  readonly deliveryFailures: number;
  /** The receiver's answer, when it answered. */
  readonly statusCode: number | null;
  readonly error: string;
  readonly now: Date;
}

/** Why the subscription should be paused now, in words an operator can act on; null to keep trying. */
export function pauseReason(standing: FailureStanding, policy: DeliveryPolicy): string | null {
  const last = `last error: ${standing.error}`;
  if (standing.statusCode === 410) return `the receiver answered 410 Gone: it says this endpoint no longer exists (${last})`;
  if (standing.deliveryFailures >= policy.maxAttempts) {
    return `one delivery failed ${standing.deliveryFailures} times, the limit per delivery (${last})`;
  }
  if (standing.consecutiveFailures >= policy.pauseAfterFailures) {
    return `${standing.consecutiveFailures} deliveries failed in a row (${last})`;
  }
  const failingMs = standing.now.getTime() - standing.failingSince.getTime();
  if (failingMs >= policy.pauseAfterMs) {
    return `failing without a success since ${standing.failingSince.toISOString()}, over ${Math.round(policy.pauseAfterMs / 60_000)} minutes (${last})`;
  }
  return null;
}
