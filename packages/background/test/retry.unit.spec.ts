import { retrying } from '../src/retry';
import { sleep } from '../src/sleep';

const backoff = { firstMs: 100, maxMs: 400 };

/** A step that fails `times` times, then answers 'done'; each call is counted. */
const failing = (times: number) => {
  const step = jest.fn(async () => {
    if (step.mock.calls.length <= times) throw new Error(`failure ${step.mock.calls.length}`);
    return 'done';
  });
  return step;
};

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('retrying a step', () => {
  it('given a step that fails three times, when retried, then it pauses as the backoff says and answers the result', async () => {
    const step = failing(3);
    const retries: unknown[] = [];
    const result = retrying(step, { backoff, onRetry: (error, retry) => retries.push({ err: (error as Error).message, ...retry }) });

    await jest.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(99);
    expect(step).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(step).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(200 + 400);

    await expect(result).resolves.toBe('done');
    expect(step).toHaveBeenCalledTimes(4);
    expect(retries).toEqual([
      { err: 'failure 1', attempt: 1, delayMs: 100 },
      { err: 'failure 2', attempt: 2, delayMs: 200 },
      { err: 'failure 3', attempt: 3, delayMs: 400 },
    ]);
  });

  it('given a step that keeps failing, when its attempts run out, then the last error is thrown and not announced as a retry', async () => {
    const step = failing(10);
    const onRetry = jest.fn();
    const result = retrying(step, { backoff, maxAttempts: 3, onRetry });
    const settled = expect(result).rejects.toThrow('failure 3');

    await jest.advanceTimersByTimeAsync(100 + 200);

    await settled;
    expect(step).toHaveBeenCalledTimes(3);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('given a retry pausing, when its signal aborts, then it answers undefined at once and tries no more', async () => {
    const step = failing(10);
    const stopping = new AbortController();
    const result = retrying(step, { backoff: { firstMs: 60_000, maxMs: 60_000 }, signal: stopping.signal });
    await jest.advanceTimersByTimeAsync(0);

    stopping.abort();

    await expect(result).resolves.toBeUndefined();
    expect(step).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('given a signal aborted already, then the step is not run', async () => {
    const step = failing(0);
    await expect(retrying(step, { backoff, signal: AbortSignal.abort() })).resolves.toBeUndefined();
    expect(step).not.toHaveBeenCalled();
  });
});

describe('sleeping', () => {
  it('given a pause, then it resolves after it, and at once when its signal aborts', async () => {
    const stopping = new AbortController();
    let slept = false;
    void sleep(1_000, stopping.signal).then(() => (slept = true));

    await jest.advanceTimersByTimeAsync(999);
    expect(slept).toBe(false);
    stopping.abort();
    await jest.advanceTimersByTimeAsync(0);

    expect(slept).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
