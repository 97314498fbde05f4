import { Backoff, type BackoffPolicy } from './backoff';
import { sleep } from './sleep';

export interface RetryOptions {
  readonly backoff: BackoffPolicy;
  /** Attempts in all, the first included; without it, until the step succeeds or `signal` aborts. */
  readonly maxAttempts?: number;
  /** Aborted: no further attempt and no further pause; the answer is undefined. */
  readonly signal?: AbortSignal;
  /** A failure that will be tried again, with the pause before that; the last failure is thrown instead. */
  readonly onRetry?: (error: unknown, retry: { readonly attempt: number; readonly delayMs: number }) => void;
}

/**
 * Runs `step` until it succeeds, pausing after each failure as the backoff says. Answers the step's
 * result; undefined when stopped through `signal`; throws the last error once `maxAttempts` ran out.
 */
export async function retrying<T>(step: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T | undefined> {
  const backoff = new Backoff(options.backoff);
  for (let attempt = 1; !options.signal?.aborted; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) throw error;
      const delayMs = backoff.next();
      options.onRetry?.(error, { attempt, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
  return undefined;
}
