import type { RebuildProgress, RebuildResult } from './rebuild';

const WIDTH = 30;

/** "[#########.....] 45% 1,234,567/2,700,000 events 125,000/s ETA 12 s (reading)": one line, redrawn in place. */
export function progressLine(progress: RebuildProgress, elapsedMs: number): string {
  const { events, expected, phase } = progress;
  const share = expected > 0 ? Math.min(events / expected, 1) : 0;
  const filled = Math.round(share * WIDTH);
  const rate = elapsedMs > 0 ? (events / elapsedMs) * 1000 : 0;
  const eta = rate > 0 && expected > events ? `ETA ${Math.ceil((expected - events) / rate)} s` : 'ETA -';
  const count = (value: number): string => value.toLocaleString('en');
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.round(share * 100)}% ${count(events)}/${count(expected)} events ${count(Math.round(rate))}/s ${eta} (${phase})`;
}

/**
 * Runs a rebuild from a command line: the progress line redrawn on stderr while it runs, then one
 * line saying what was rebuilt, how fast and where the time went. What every `*:rebuild` script prints.
 */
export async function rebuildWithReport(what: string, rebuild: (onProgress: (progress: RebuildProgress) => void) => Promise<RebuildResult>): Promise<void> {
  const started = Date.now();
  const result = await rebuild((progress) => void process.stderr.write(`\r${progressLine(progress, Date.now() - started)}`));
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write('\n');
  console.log(
    `${what} rebuilt: ${result.events.toLocaleString('en')} events of ${result.complaints.toLocaleString('en')} complaints into ${result.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / seconds).toLocaleString('en')} events/s; read ${result.readMs} ms, write ${result.writeMs} ms, catch-up and swap ${result.swapMs} ms, ${result.caughtUp} events caught up)`,
  );
}
