import { startDueLoop, type DueLoop } from '../src/due-loop';

const MAX_WAIT = 1_000;

/** A tick answering the pause asked for (ms from now; null: nothing due), counting its rounds. */
function ticks(answers: () => number | null | Error) {
  const tick = jest.fn(async () => {
    const answer = answers();
    if (answer instanceof Error) throw answer;
    return answer === null ? null : new Date(Date.now() + answer);
  });
  return tick;
}

/** A promise settled from outside: a round held open while the test acts. */
function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

let loop: DueLoop | undefined;
beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-03T02:00:00.000Z') }));
afterEach(async () => {
  const stopping = loop?.stop();
  await jest.runOnlyPendingTimersAsync();
  await stopping;
  loop = undefined;
  jest.useRealTimers();
});

describe('the due loop', () => {
  it('given work due in 300 ms, then it runs a round at once and the next when that is due', async () => {
    const tick = ticks(() => 300);
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });
    await jest.advanceTimersByTimeAsync(0);
    expect(tick).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(299);
    expect(tick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('given nothing due, or due later than the longest wait, then it looks again after the longest wait', async () => {
    const answers = [null, 60_000];
    const tick = ticks(() => answers.shift() ?? null);
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });

    await jest.advanceTimersByTimeAsync(MAX_WAIT - 1);
    expect(tick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(MAX_WAIT);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it('given work already overdue, then it goes round again without waiting', async () => {
    const answers = [-5_000];
    const tick = ticks(() => answers.shift() ?? null);
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });

    await jest.advanceTimersByTimeAsync(0);

    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('given a loop waiting, when woken, then it runs a round now', async () => {
    const tick = ticks(() => null);
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });
    await jest.advanceTimersByTimeAsync(10);

    loop.wake();
    await jest.advanceTimersByTimeAsync(0);

    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('given a round running, when woken, then it goes round once more right after, however often it was woken', async () => {
    const held = deferred();
    const tick = jest.fn(async () => {
      if (tick.mock.calls.length === 1) await held.promise;
      return null;
    });
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });

    loop.wake();
    loop.wake();
    held.release();
    await jest.advanceTimersByTimeAsync(0);

    expect(tick).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(MAX_WAIT - 1);
    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('given a round that fails, then the error is reported and the next round comes after the longest wait', async () => {
    const answers: (number | Error)[] = [new Error('database unreachable'), 100];
    const tick = ticks(() => answers.shift() ?? null);
    const onError = jest.fn();
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError });
    await jest.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledWith(new Error('database unreachable'));

    await jest.advanceTimersByTimeAsync(MAX_WAIT - 1);
    expect(tick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('given a round running, when stopped, then stop waits for that round and no other starts', async () => {
    const held = deferred();
    const tick = jest.fn(async () => {
      await held.promise;
      return new Date(Date.now() - 1);
    });
    const started = startDueLoop({ tick, maxWaitMs: MAX_WAIT, onError: jest.fn() });
    let stopped = false;
    const stopping = started.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);

    held.release();
    await stopping;

    started.wake();
    await jest.advanceTimersByTimeAsync(MAX_WAIT * 10);
    expect(tick).toHaveBeenCalledTimes(1);
  });

  it('given a loop waiting, when stopped, then it stops at once and leaves no timer behind', async () => {
    const tick = ticks(() => null);
    const started = startDueLoop({ tick, maxWaitMs: 60_000, onError: jest.fn() });
    await jest.advanceTimersByTimeAsync(0);

    await started.stop();

    expect(jest.getTimerCount()).toBe(0);
    expect(tick).toHaveBeenCalledTimes(1);
  });

  it('given a clock of its own, then the pause is read against that clock', async () => {
    const clock = new Date('2030-01-01T00:00:00.000Z');
    const tick = jest.fn(async () => new Date(clock.getTime() + 250));
    loop = startDueLoop({ tick, maxWaitMs: MAX_WAIT, now: () => clock, onError: jest.fn() });

    await jest.advanceTimersByTimeAsync(249);
    expect(tick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(2);
  });
});
