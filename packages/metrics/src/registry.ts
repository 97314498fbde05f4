import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per process: a process is what Prometheus scrapes, whether it runs one service or the
 * whole embedded gateway. Metrics are made once and shared (a second app in the same process, as in
 * the tests, adds to the same series rather than failing on a duplicate name).
 */
const registry = new Registry();
let defaultsCollected = false;

function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
}

function existing<T>(name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return existing<Histogram<L>>(name) ?? new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export interface Sample<L extends string> {
  readonly labels: Partial<Record<L, string>>;
  readonly value: number;
}

/** What a gauge is read from at scrape time; one that throws adds nothing (the others still count). */
export type SampleSource<L extends string> = () => Promise<ReadonlyArray<Sample<L>>> | ReadonlyArray<Sample<L>>;

/** A gauge read at scrape time from the sources currently open (each removed again when it closes). */
export interface SampledGauge<L extends string> {
  /** Adds a source; the returned function removes it. */
  add(source: SampleSource<L>): () => void;
}

const sourcesOf = new Map<string, Set<SampleSource<string>>>();

export function sampledGauge<L extends string>(name: string, help: string, labelNames: readonly L[]): SampledGauge<L> {
  let sources = sourcesOf.get(name);
  if (!sources) {
    const open = new Set<SampleSource<string>>();
    sources = open;
    sourcesOf.set(name, open);
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const read = await Promise.all([...open].map(async (source) => (await Promise.resolve(source()).catch(() => [])) as ReadonlyArray<Sample<L>>));
        for (const sample of read.flat()) this.set(sample.labels as Partial<Record<L, string | number>>, sample.value);
      },
    });
  }
  const gaugeSources = sources as Set<SampleSource<L>>;
  return {
    add(source) {
      gaugeSources.add(source);
      return () => void gaugeSources.delete(source);
    },
  };
}

/** The Prometheus text exposition of everything this process exports, with `extra` (text already in the format) appended. */
export async function exposition(extra = ''): Promise<{ contentType: string; body: string }> {
  collectProcessMetrics();
  return { contentType: registry.contentType, body: (await registry.metrics()) + extra };
}

/** Starts the process metrics (memory, event-loop delay) now rather than at the first scrape, so the first scrape has a delay histogram to read. */
export function startProcessMetrics(): void {
  collectProcessMetrics();
}
