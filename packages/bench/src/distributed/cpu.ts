import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (fields[0] is field 3, the state), or undefined when it is gone. */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name is in parentheses and may hold spaces: count fields after its closing one
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone. */
function cpuSecondsOf(pid: number): number | undefined {
  const fields = statOf(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : undefined;
}

/**
 * CPU seconds of the PostgreSQL server so far: every process of it now, plus what its ended
 * backends used, which the postmaster holds as its reaped children's time (cutime + cstime).
 * Summing only the backends found at a step's start lost the connections opened and closed in it.
 */
function postgresCpuSeconds(): number {
  const pids = pidsNamed('postgres');
  const own = new Set(pids);
  let seconds = 0;
  for (const pid of pids) {
    const fields = statOf(pid);
    if (!fields) continue;
    seconds += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    // the postmaster: the one whose parent is not a postgres process
    if (!own.has(Number(fields[1]))) seconds += (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  }
  return seconds;
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

/** Processes by the name the report gives them; POSTGRES: the server's, as they are at each reading. */
export type CpuGroups = Map<string, readonly number[] | typeof POSTGRES>;
const POSTGRES = 'postgres';

/** The processes to watch, with the PostgreSQL server's. */
export const withPostgres = (groups: CpuGroups): CpuGroups => new Map([...groups, ['postgresql', POSTGRES]]);

export interface CpuReading {
  readonly at: number;
  readonly seconds: Map<string, number>;
}

export function readCpu(groups: CpuGroups): CpuReading {
  const seconds = new Map<string, number>();
  for (const [name, pids] of groups) seconds.set(name, pids === POSTGRES ? postgresCpuSeconds() : pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0));
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
