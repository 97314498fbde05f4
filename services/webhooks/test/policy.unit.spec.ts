import fc from 'fast-check';
import { DEFAULT_DELIVERY_POLICY, pauseReason, retryDelayMs, type DeliveryPolicy } from '../src/policy';

const policy: DeliveryPolicy = { timeoutMs: 1_000, maxAttempts: 5, retryBaseMs: 1_000, retryMaxMs: 60_000, pauseAfterFailures: 8, pauseAfterMs: 10 * 60_000 };
const now = new Date('2025-03-03T02:00:00.000Z');
const standing = (overrides: Partial<Parameters<typeof pauseReason>[0]> = {}) => ({
  consecutiveFailures: 1,
  failingSince: now,
  deliveryFailures: 1,
  statusCode: 500,
  error: 'HTTP 500',
  now,
  ...overrides,
});

describe('retry backoff', () => {
  it('doubles with each failure, between half and all of it, and stops growing at the cap', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, policy, 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, policy, 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(retryDelayMs(40, policy, 0.5)).toBe(45_000);
  });

  it('for any failure count and any jitter, then the pause is positive and never above the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, random) => {
        const delay = retryDelayMs(failures, DEFAULT_DELIVERY_POLICY, random);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(DEFAULT_DELIVERY_POLICY.retryMaxMs);
      }),
    );
  });
});

describe('pausing a receiver that keeps failing', () => {
  it('given a first failure, then it keeps trying', () => {
    expect(pauseReason(standing(), policy)).toBeNull();
  });

  it('given failures in a row up to the limit, then it pauses and says how many', () => {
    expect(pauseReason(standing({ consecutiveFailures: 7 }), policy)).toBeNull();
    expect(pauseReason(standing({ consecutiveFailures: 8 }), policy)).toMatch(/^8 deliveries failed in a row \(last error: HTTP 500\)$/);
  });

  it('given one delivery at its attempt limit, then it pauses', () => {
    expect(pauseReason(standing({ deliveryFailures: 5 }), policy)).toMatch(/one delivery failed 5 times/);
  });

  it('given failing without a success for longer than allowed, then it pauses and says since when', () => {
    const since = new Date(now.getTime() - 10 * 60_000);
    expect(pauseReason(standing({ failingSince: new Date(since.getTime() + 1) }), policy)).toBeNull();
    expect(pauseReason(standing({ failingSince: since }), policy)).toMatch(/since 2025-03-03T01:50:00.000Z, over 10 minutes/);
  });

  it('given 410 Gone, then it pauses at once', () => {
    expect(pauseReason(standing({ statusCode: 410, error: 'HTTP 410' }), policy)).toMatch(/410 Gone/);
  });
});
