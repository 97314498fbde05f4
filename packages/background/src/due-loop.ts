import { sleep } from './sleep';

export interface DueLoopOptions {
  /** One round of work; answers when the next is due (null: nothing known to be due). */
  readonly tick: () => Promise<Date | null>;
  /**
   * The longest pause between rounds: work another process queued, or that no one woke this loop
   * for, waits this long at most.
   */
  readonly maxWaitMs: number;
  /** The clock the answers of `tick` are read against (default: the wall clock). */
  readonly now?: () => Date;
  /** A round that threw; the next comes after `maxWaitMs`, as the database may need the time. */
  readonly onError: (error: unknown) => void;
}

/** A running due loop. */
export interface DueLoop {
  /** Work became due: run a round now, or once more right after the one running. */
  wake(): void;
  /** No further round; resolves once the round running, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Fires what is due: runs a round at once (what fell due while nothing ran goes first), then again
 * when the round said the next is due, when woken, and at least every `maxWaitMs`.
 */
export function startDueLoop(options: DueLoopOptions): DueLoop {
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let woken = false;
  // the pause under way: waking or stopping ends it
  let interrupt: AbortController | undefined;

  const run = async (): Promise<void> => {
    while (!stopped) {
      woken = false;
      let wait = options.maxWaitMs;
      try {
        const next = await options.tick();
        if (next) wait = Math.max(0, Math.min(options.maxWaitMs, next.getTime() - now().getTime()));
      } catch (error) {
        options.onError(error);
      }
      // woken while the round ran: what woke it may have come after the round looked
      if (woken || stopped) continue;
      interrupt = new AbortController();
      await sleep(wait, interrupt.signal);
      interrupt = undefined;
    }
  };
  const running = run();

  return {
    wake() {
      woken = true;
      interrupt?.abort();
    },
    async stop() {
      stopped = true;
      interrupt?.abort();
      await running;
    },
  };
}
