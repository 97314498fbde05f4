import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';

// Who used the two cores while the rebuild ran: this process, and the PostgreSQL backends serving
// its pool (read from /proc, so only when the server runs on this machine). Wall time alone cannot
// tell a rebuild waiting on the server from one the server waits on.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuSeconds {
  readonly node: number;
  /** Undefined when the backends' /proc entries cannot be read (a remote server). */
  readonly postgres: number | undefined;
}

/** Opens every connection of the pool (kept: the pool must not close idle ones) and notes the backends' pids. */
export async function poolBackends(pool: Pool, size: number): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  try {
    return await Promise.all(clients.map(async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
  } finally {
    for (const client of clients) client.release();
  }
}

function backendSeconds(pids: readonly number[]): number | undefined {
  try {
    let ticks = 0;
    for (const pid of pids) {
      // the command name is in parentheses and may hold spaces: count fields after it
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far, to subtract one reading from another. */
export function cpuNow(pids: readonly number[]): CpuSeconds {
  const usage = process.cpuUsage();
  return { node: (usage.user + usage.system) / 1e6, postgres: backendSeconds(pids) };
}

export function cpuBetween(from: CpuSeconds, to: CpuSeconds): CpuSeconds {
  return { node: to.node - from.node, postgres: from.postgres === undefined || to.postgres === undefined ? undefined : to.postgres - from.postgres };
}

export const formatCpu = (cpu: CpuSeconds): string =>
  `Node ${cpu.node.toFixed(1)} s, PostgreSQL ${cpu.postgres === undefined ? '?' : `${cpu.postgres.toFixed(1)} s`}`;
