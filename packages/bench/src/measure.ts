/** How many operations were completed in how long, and the rate. */
export interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * One contender in an append comparison, opened once: `operation` is called by each writer with its
 * index and its own iteration count (kept across rounds, so a writer can track its stream version),
 * and reports how many events it wrote.
 */
export interface Workload {
  operation(writer: number, iteration: number): Promise<number>;
  close(): Promise<void>;
}

/** `writers` concurrent loops over `operation` until `durationMs` is up; `iterations` carries on. */
async function runFor(
  writers: number,
  durationMs: number,
  operation: Workload['operation'],
  iterations: number[],
): Promise<{ operations: number; seconds: number }> {
  const started = performance.now();
  const until = started + durationMs;
  const loop = async (writer: number): Promise<number> => {
    let done = 0;
    while (performance.now() < until) done += await operation(writer, iterations[writer]!++);
    return done;
  };
  const counts = await Promise.all(Array.from({ length: writers }, (_, writer) => loop(writer)));
  return { operations: counts.reduce((sum, count) => sum + count, 0), seconds: (performance.now() - started) / 1000 };
}

/**
 * Measures the workloads against each other on a machine that is not quiet: each gets `totalMs`,
 * cut into `rounds` slices that take turns (the order rotating every round), so a burst of outside
 * load lands on all of them rather than on whichever ran then. A warm-up of each first fills
 * connection pools and plan caches.
 */
export async function compareInterleaved(
  writers: number,
  workloads: readonly Workload[],
  totalMs: number,
  rounds: number,
  warmUpMs = Math.min(1_000, totalMs / 4),
): Promise<Throughput[]> {
  const iterations = workloads.map(() => new Array<number>(writers).fill(0));
  for (const [i, workload] of workloads.entries()) await runFor(writers, warmUpMs, workload.operation, iterations[i]!);

  const totals = workloads.map(() => ({ operations: 0, seconds: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < workloads.length; turn++) {
      const i = (turn + round) % workloads.length;
      const slice = await runFor(writers, totalMs / rounds, workloads[i]!.operation, iterations[i]!);
      totals[i]!.operations += slice.operations;
      totals[i]!.seconds += slice.seconds;
    }
  }
  return totals.map(({ operations, seconds }) => ({ operations, seconds, perSecond: operations / seconds }));
}

/** Times one run of `work`, which reports how many items it handled. */
export async function timed(work: () => Promise<number>): Promise<Throughput> {
  const started = performance.now();
  const operations = await work();
  const seconds = (performance.now() - started) / 1000;
  return { operations, seconds, perSecond: operations / seconds };
}
