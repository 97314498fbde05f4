import { Backoff } from '@lapor/background';
import type { AppendSignal } from './append-signal';
import type { ReadGlobalLog } from './global-log';
import { LOG_START, type LogPosition, type SubscribeOptions, type Subscription } from './port';

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 500;
// After an announced append that is not visible yet, look again after 2, 4, 8… ms up to the poll.
const FIRST_RECHECK_MS = 2;

/**
 * Catch up by paging the global log, then follow it: read again when an append is announced, and
 * every poll interval regardless (announcements can be lost).
 *
 * An announced append can still be invisible to the log reader, because the log only shows
 * transactions older than the oldest one still running. The announcement carries the transaction
 * id, so the follower knows whether it has got that far; if not, it re-reads soon with a growing
 * delay rather than waiting a whole poll interval, and without spinning.
 */
export class GlobalLogFollower implements Subscription {
  private position: LogPosition;
  /** The highest transaction id announced so far. */
  private announced = 0n;
  private woken = false;
  private wake: (() => void) | undefined;
  private closed = false;
  private delivering = false;
  private readonly pageSize: number;
  private readonly pollInterval: number;
  private readonly minReadInterval: number;
  private lastReadAt = 0;
  readonly done: Promise<void>;

  constructor(
    private readonly read: ReadGlobalLog,
    private readonly signal: AppendSignal,
    private readonly options: SubscribeOptions,
  ) {
    const { pageSize = DEFAULT_PAGE_SIZE, pollIntervalMs = DEFAULT_POLL_INTERVAL_MS } = options;
    if (!(Number.isSafeInteger(pageSize) && pageSize > 0)) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    if (!(pollIntervalMs > 0)) throw new RangeError(`pollIntervalMs must be positive, got ${pollIntervalMs}`);
    this.pageSize = pageSize;
    this.pollInterval = pollIntervalMs;
    this.minReadInterval = options.minReadIntervalMs ?? 0;
    this.position = options.from ?? LOG_START;
    this.done = this.run();
  }

  close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    // Closing from inside onEvent must not wait for onEvent to return.
    return this.delivering ? Promise.resolve() : this.done;
  }

  private readonly onAppended = (transactionId: bigint | undefined): void => {
    if (transactionId !== undefined) {
      // Heard before: an append through this store is announced at once and again by its own NOTIFY.
      // Nothing is missed by not reading again: while the position is short of what was announced,
      // the loop reads until it gets there, and a transaction that commits after a newer one was
      // read can hold no event the log has not shown already (the log shows a transaction only once
      // every older one has ended).
      if (transactionId <= this.announced) return;
      this.announced = transactionId;
    }
    this.woken = true;
    this.wake?.();
  };

  private async run(): Promise<void> {
    const { pageSize, pollInterval } = this;
    const unsubscribe = this.signal.subscribe(this.onAppended, (error) => this.report(error));
    const recheck = new Backoff({ firstMs: FIRST_RECHECK_MS, maxMs: pollInterval });
    try {
      while (!this.closed) {
        this.woken = false;
        let page;
        try {
          this.lastReadAt = Date.now();
          page = await this.read(this.position, pageSize);
        } catch (error) {
          this.report(error);
          await this.sleep(pollInterval);
          continue;
        }
        const onPage = this.options.onPage;
        if (onPage && page.events.length > 0) {
          if (this.closed) return;
          if (!(await this.deliver(() => onPage(page.events)))) return;
          this.position = page.events.at(-1)!.logPosition;
        } else {
          for (const event of page.events) {
            if (this.closed) return;
            const onEvent = this.options.onEvent!;
            if (!(await this.deliver(() => onEvent(event)))) return;
            this.position = event.logPosition;
          }
        }
        if (page.events.length >= pageSize) continue; // still catching up
        const sinceRead = Date.now() - this.lastReadAt;
        if (this.minReadInterval > sinceRead) await this.pause(this.minReadInterval - sinceRead);
        if (this.position.transactionId < this.announced) {
          await this.sleep(recheck.next());
        } else {
          recheck.reset();
          await this.sleep(pollInterval);
        }
      }
    } finally {
      unsubscribe();
    }
  }

  /** False when the handler failed: the subscription stops there, so the event is never skipped. */
  private async deliver(handle: () => Promise<void> | void): Promise<boolean> {
    this.delivering = true;
    try {
      await handle();
      return true;
    } catch (error) {
      this.closed = true;
      this.report(error);
      return false;
    } finally {
      this.delivering = false;
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // an error handler that throws has nobody left to tell
    }
  }

  /** Waits `ms` whatever is announced meanwhile (close still ends it). */
  private pause(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      // close() calls wake; announcements only set `woken`, which the next sleep honours
      const onWake = (): void => {
        if (this.closed) finish();
      };
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wake === onWake) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = onWake;
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }
}
