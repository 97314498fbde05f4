import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name is in parentheses and may hold spaces: count fields after its closing one
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Every process whose command is `name` (PostgreSQL serves each connection from a process of its own). */
function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return pids;
}

export type CpuGroups = Map<string, readonly number[]>;

/** The processes to watch, by the name the report gives them; PostgreSQL's are looked up at each reading. */
export const withPostgres = (groups: CpuGroups): CpuGroups => new Map([...groups, ['postgresql', pidsNamed('postgres')]]);

export interface CpuReading {
  readonly at: number;
  readonly seconds: Map<string, number>;
}

export function readCpu(groups: CpuGroups): CpuReading {
  const seconds = new Map<string, number>();
  for (const [name, pids] of groups)
    seconds.set(
      name,
      pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0),
    );
  return { at: performance.now(), seconds };
}

/** Per group, the share of one core used between the readings, in percent. */
export function cpuPercent(before: CpuReading, after: CpuReading): Map<string, number> {
  const wall = (after.at - before.at) / 1000;
  const percent = new Map<string, number>();
  for (const [name, end] of after.seconds) percent.set(name, (100 * (end - (before.seconds.get(name) ?? end))) / wall);
  return percent;
}

/** The infra/kafka.sh broker's process, when it runs from this clone (its pid file in LAPOR_STATE, default .infra). */
export function brokerPid(): number | undefined {
  try {
    const state = process.env.LAPOR_STATE ?? join(__dirname, '..', '..', '..', '..', '.infra');
    return Number(readFileSync(join(state, 'kafka', 'broker.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
