import type { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, openPGlite } from '@lapor/sql';
import type { EventStore } from '../port';
import { DEFAULT_SCHEMA } from '../sql/identifiers';
import { DEFAULT_GROUP_COMMIT } from '../group-commit';
import { openEventStore } from '../store';

/**
 * One batch in flight: PGlite runs one statement at a time, so a second batch would only queue
 * behind the first, where it could have joined the next one whole.
 */
const ONE_CONNECTION_GROUP_COMMIT = { ...DEFAULT_GROUP_COMMIT, maxInFlight: 1 };

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
    return await openEventStore(runner, { schema: options.schema ?? DEFAULT_SCHEMA, migrate: options.migrate, groupCommit: ONE_CONNECTION_GROUP_COMMIT });
  } catch (error) {
    await runner.close();
    throw error;
  }
}
