/**
 * Reads until `done` holds for what `read` returns, or the deadline passes; returns the last reading
 * either way, so the test's own expectation says what was there rather than a bare timeout. For
 * read sides and timers that trail the writes; the deadline is generous, not a speed claim.
 */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
