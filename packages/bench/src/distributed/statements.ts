import { METRIC } from '@lapor/metrics';
import type { ProcessName, Topology } from './topology';

/** Statements each process has sent to PostgreSQL since it started, read from its /metrics (a process that does not answer: none). */
export async function readStatements(topology: Topology): Promise<Map<ProcessName, number>> {
  const counts = new Map<ProcessName, number>();
  await Promise.all(
    [...topology.urls].map(async ([name, url]) => {
      const text = await fetch(`${url}/metrics`).then(
        (response) => (response.ok ? response.text() : ''),
        () => '',
      );
      let sent = 0;
      for (const line of text.split('\n')) if (line.startsWith(`${METRIC.dbStatements}{`)) sent += Number(line.slice(line.lastIndexOf(' ') + 1));
      counts.set(name, sent);
    }),
  );
  return counts;
}

/**
 * Statements per complaint, by process, between two readings. A process restarted in between (the
 * statistics service the bench kills) counts from its restart.
 */
export function statementsPerComplaint(
  before: ReadonlyMap<ProcessName, number>,
  after: ReadonlyMap<ProcessName, number>,
  complaints: number,
): Map<string, number> {
  const per = new Map<string, number>();
  for (const [name, now] of after) {
    const then = before.get(name) ?? 0;
    per.set(name, (now >= then ? now - then : now) / Math.max(1, complaints));
  }
  return per;
}
