import type { SqlQueryable, SqlRunner } from '@lapor/sql';

// Where a rebuild's write phase waits: every statement it sends is timed from the call to the
// answer (waiting for a pooled connection, encoding the parameters, the server's work, the round
// trip), summed per target table. Statements may overlap, so the sums can exceed the wall time;
// `busyMs` is the wall time with at least one statement outstanding, and the rest of a phase is
// JavaScript alone.

/** "INSERT INTO statistics_shadow.recap_facts …" → "INSERT recap_facts"; DDL and the rest by their first word. */
function label(sql: string): string {
  const insert = /^\s*INSERT INTO\s+(?:\w+\.)?(\w+)/i.exec(sql);
  if (insert) return `INSERT ${insert[1]}`;
  return sql.trim().split(/\s+/, 1)[0]!.toUpperCase();
}

export interface StatementTimes {
  readonly runner: SqlRunner;
  /** Milliseconds and calls per label, most time first. */
  totals(): { label: string; ms: number; calls: number }[];
  /** Wall time with at least one statement outstanding. */
  busyMs(): number;
}

export function timeStatements(db: SqlRunner): StatementTimes {
  const totals = new Map<string, { ms: number; calls: number }>();
  let outstanding = 0;
  let busySince = 0;
  let busy = 0;
  const timed = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    if (outstanding++ === 0) busySince = started;
    try {
      return await work();
    } finally {
      const ended = performance.now();
      if (--outstanding === 0) busy += ended - busySince;
      const key = label(sql);
      const total = totals.get(key) ?? { ms: 0, calls: 0 };
      totals.set(key, { ms: total.ms + ended - started, calls: total.calls + 1 });
    }
  };
  const wrap = (target: SqlQueryable): SqlQueryable => ({
    query<Row>(sql: string, params?: readonly unknown[]) {
      return timed(sql, () => target.query<Row>(sql, params));
    },
    exec: (sql) => timed(sql, () => target.exec(sql)),
  });
  return {
    runner: { ...db, ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) },
    totals: () => [...totals].map(([key, { ms, calls }]) => ({ label: key, ms, calls })).sort((a, b) => b.ms - a.ms),
    busyMs: () => busy,
  };
}
