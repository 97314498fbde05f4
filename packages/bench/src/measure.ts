/** How many operations `writers` concurrent loops complete in `durationMs`, and the rate. */
export interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Runs `operation` in `writers` concurrent loops for a fixed time. Each loop gets its index and its
 * own iteration count, so it can keep its own stream and expected version. A short unmeasured
 * warm-up first fills connection pools and plan caches.
 */
export async function runConcurrently(
  writers: number,
  durationMs: number,
  operation: (writer: number, iteration: number) => Promise<number>,
  warmUpMs = Math.min(1_000, durationMs / 4),
): Promise<Throughput> {
  const iterations = new Array<number>(writers).fill(0);
  const loop = async (writer: number, until: number): Promise<number> => {
    let done = 0;
    while (performance.now() < until) done += await operation(writer, iterations[writer]!++);
    return done;
  };
  const warmUpEnd = performance.now() + warmUpMs;
  await Promise.all(Array.from({ length: writers }, (_, writer) => loop(writer, warmUpEnd)));

  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: writers }, (_, writer) => loop(writer, started + durationMs)));
  const seconds = (performance.now() - started) / 1000;
  const operations = counts.reduce((sum, count) => sum + count, 0);
  return { operations, seconds, perSecond: operations / seconds };
}

/** Times one run of `work`, which reports how many items it handled. */
export async function timed(work: () => Promise<number>): Promise<Throughput> {
  const started = performance.now();
  const operations = await work();
  const seconds = (performance.now() - started) / 1000;
  return { operations, seconds, perSecond: operations / seconds };
}
