import type { RebuildProgress } from './rebuild';

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
