import { CircuitBreaker } from '../src/circuit-breaker';

/** A breaker on a clock the spec moves: opens after 3 failures, cools down for 10 s. */
function breakerAt(start = 1_000_000): { breaker: CircuitBreaker; advance(ms: number): void } {
  let now = start;
  return { breaker: new CircuitBreaker({ failuresToOpen: 3, coolDownMs: 10_000 }, () => now), advance: (ms) => (now += ms) };
}

function failTimes(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) breaker.failed();
}

describe('a circuit breaker in front of one service', () => {
  it('given fewer consecutive failures than the bound, then calls still go out', () => {
    const { breaker } = breakerAt();
    failTimes(breaker, 2);
    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAfterMs()).toBe(0);
  });

  it('given a success between failures, then the count starts over', () => {
    const { breaker } = breakerAt();
    failTimes(breaker, 2);
    breaker.succeeded();
    failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('given the bound of consecutive failures, then it opens and refuses until the cool-down has passed, saying how long', () => {
    const { breaker, advance } = breakerAt();
    failTimes(breaker, 3);
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(10_000);
    advance(4_000);
    expect(breaker.allow()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(6_000);
  });

  it('given the cool-down has passed, then one trial call goes out and the others wait for it', () => {
    const { breaker, advance } = breakerAt();
    failTimes(breaker, 3);
    advance(10_000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(false);
  });

  it('given the trial succeeds, then it closes', () => {
    const { breaker, advance } = breakerAt();
    failTimes(breaker, 3);
    advance(10_000);
    breaker.allow();
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('given the trial fails, then it opens again at once for a whole cool-down', () => {
    const { breaker, advance } = breakerAt();
    failTimes(breaker, 3);
    advance(10_000);
    breaker.allow();
    breaker.failed();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(10_000);
    expect(breaker.allow()).toBe(false);
  });

  it('given a trial whose outcome never comes, then another is let through after a further cool-down', () => {
    const { breaker, advance } = breakerAt();
    failTimes(breaker, 3);
    advance(10_000);
    breaker.allow();
    advance(9_999);
    expect(breaker.allow()).toBe(false);
    advance(1);
    expect(breaker.allow()).toBe(true);
  });
});
