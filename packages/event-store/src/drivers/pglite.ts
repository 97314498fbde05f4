import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { EventStore } from '../port';
import type { SqlQueryable, SqlRunner } from '../sql-runner';
import { DEFAULT_SCHEMA } from '../sql/identifiers';
import { openEventStore } from '../store';

export interface PGliteEventStoreOptions {
  /** Folder for the data; omitted, the database lives in memory. Ignored when `pglite` is given. */
  readonly dataDir?: string;
  /** An instance you own: the store does not close it. */
  readonly pglite?: PGlite;
  /** Where the tables live (default `eventstore`). */
  readonly schema?: string;
  /** Apply pending migrations on start (default true). */
  readonly migrate?: boolean;
}

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
    async close() {
      if (options.ownsDatabase) await db.close();
    },
  };
}

/** The embedded event store: real PostgreSQL compiled to WebAssembly, data in a folder. */
export async function createPGliteEventStore(options: PGliteEventStoreOptions = {}): Promise<EventStore> {
  const ownsDatabase = options.pglite === undefined;
  const db = options.pglite ?? (await PGlite.create(options.dataDir));
  const runner = createPGliteRunner(db, { ownsDatabase });
  try {
    return await openEventStore(runner, { schema: options.schema ?? DEFAULT_SCHEMA, migrate: options.migrate });
  } catch (error) {
    await runner.close();
    throw error;
  }
}
