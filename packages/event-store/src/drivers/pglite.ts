import type { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, openPGlite } from '@lapor/sql';
import type { EventStore } from '../port';
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

/** The embedded event store: real PostgreSQL compiled to WebAssembly, data in a folder. */
export async function createPGliteEventStore(options: PGliteEventStoreOptions = {}): Promise<EventStore> {
  const ownsDatabase = options.pglite === undefined;
  const db = options.pglite ?? (await openPGlite(options.dataDir));
  const runner = createPGliteRunner(db, { ownsDatabase });
  try {
    return await openEventStore(runner, { schema: options.schema ?? DEFAULT_SCHEMA, migrate: options.migrate });
  } catch (error) {
    await runner.close();
    throw error;
  }
}
