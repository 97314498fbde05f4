import { PerformanceObserver } from 'node:perf_hooks';

// The process's peak memory while something runs, sampled (the event loop only lets the sampler in
// between pages, which is often enough to see where the heap tops out), and the time the garbage
// collector took meanwhile.

export interface MemoryReport {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly gcMs: number;
}

export function watchMemory(intervalMs = 100): { stop(): Promise<MemoryReport> } {
  let rssBytes = 0;
  let heapUsedBytes = 0;
  let gcMs = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    rssBytes = Math.max(rssBytes, usage.rss);
    heapUsedBytes = Math.max(heapUsedBytes, usage.heapUsed);
  };
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      // gc entries are delivered asynchronously: let the last ones in
      await new Promise((resolve) => setImmediate(resolve));
      gc.disconnect();
      return { rssBytes, heapUsedBytes, gcMs };
    },
  };
}

export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
