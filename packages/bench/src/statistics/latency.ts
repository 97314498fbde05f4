// Query latency, one query at a time (a dashboard's request), after a few unmeasured warm-ups.

export interface Latency {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** Runs `query` up to `count` times, or until `budgetMs` is spent (but at least 10 times). */
export async function measureLatency(query: () => Promise<unknown>, count: number, budgetMs = Infinity, warmUps = 5): Promise<Latency> {
  for (let index = 0; index < warmUps; index++) await query();
  const took: number[] = [];
  const until = performance.now() + budgetMs;
  while (took.length < count && (took.length < 10 || performance.now() < until)) {
    const started = performance.now();
    await query();
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return { samples: took.length, p50: percentile(took, 50), p99: percentile(took, 99), max: took.at(-1)! };
}

export const formatLatency = (latency: Latency): string =>
  `p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (max ${latency.max.toFixed(1)}, n = ${latency.samples})`;
