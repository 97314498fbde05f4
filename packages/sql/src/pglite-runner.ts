import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlQueryable, SqlRunner } from './runner';

function queryable(db: PGlite | Transaction): SqlQueryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<Row>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

/**
 * PGlite has one connection and runs one statement or transaction at a time, queueing the rest;
 * concurrent appends interleave through it and stay correct, just not parallel.
 */
export function createPGliteRunner(db: PGlite, options: { ownsDatabase: boolean }): SqlRunner {
  return {
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return () => stop();
    },
    async notify(channel, payload) {
      // one connection anyway: nothing to keep it apart from
      await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (options.ownsDatabase) await db.close();
    },
  };
}
