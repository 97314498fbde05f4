/**
 * Waits `ms`, or less: it resolves as soon as `signal` aborts, so a loop told to stop does not
 * sit out its pause (a stopping service would otherwise wait for the longest backoff).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
