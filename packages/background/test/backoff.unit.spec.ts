import fc from 'fast-check';
import { Backoff, backoffDelay } from '../src/backoff';

const policy = { firstMs: 1_000, maxMs: 60_000 };

describe('the exponential backoff', () => {
  it('given failures in a row, then the pause doubles from the first and stops growing at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((failures) => backoffDelay(failures, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('given equal jitter, then the pause lies between half and all of it', () => {
    const equal = { ...policy, jitter: 'equal' } as const;
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures, equal, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures, equal, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(30, equal, () => 0.5)).toBe(45_000);
  });

  it('for any failure count and any jitter, then the pause is a whole, positive number of milliseconds, never above the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, random) => {
        const delay = backoffDelay(failures, { ...policy, jitter: 'equal' }, () => random);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(policy.maxMs);
      }),
    );
  });

  it('given a loop that failed and then succeeded, then after the reset it pauses the first pause again', () => {
    const backoff = new Backoff({ firstMs: 100, maxMs: 300 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 300]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
