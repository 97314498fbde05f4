import { cpus, loadavg, totalmem } from 'node:os';

export interface Row {
  readonly case: string;
  readonly figure: string;
  readonly ratio?: string;
  readonly target?: string;
}

export const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')} /s`;
export const ratio = (ours: number, baseline: number): string => `${(ours / baseline).toFixed(2)}×`;

/** Where the numbers come from: they mean nothing without the machine. */
export function machine(postgresVersion: string, loadAtStart?: readonly number[]): string {
  const cpu = cpus();
  const loads = (values: readonly number[]): string => values.map((load) => load.toFixed(1)).join(', ');
  return [
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- PostgreSQL: ${postgresVersion}`,
    `- Node.js: ${process.version}`,
    // Other work on the machine moves every figure; the ratios, measured back to back, less so.
    ...(loadAtStart ? [`- load average (1, 5, 15 min) when the run started: ${loads(loadAtStart)}`] : []),
    `- load average (1, 5, 15 min) when the report was written: ${loads(loadavg())}`,
  ].join('\n');
}

export function table(rows: readonly Row[]): string {
  const lines = ['| case | figure | ours / baseline | target |', '|---|---:|---:|---|'];
  for (const row of rows) lines.push(`| ${row.case} | ${row.figure} | ${row.ratio ?? ''} | ${row.target ?? ''} |`);
  return lines.join('\n');
}

/** One line per target, so a reader sees at a glance what holds and what does not. */
export function targets(lines: readonly { readonly target: string; readonly value: string; readonly met: boolean }[]): string {
  return lines.map((line) => `- ${line.met ? 'met' : '**not met**'}: ${line.target} (measured ${line.value})`).join('\n');
}
