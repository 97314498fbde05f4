import { createPGliteEventStore, createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPGliteRunner, createPgRunner, openPGlite, SERVER_POOL_OPTIONS, type SqlRunner } from '@lapor/sql';
import { directoryKeyStore, memoryKeyStore, PersonalDataVault, type EpochKeyStore, type MasterKey } from '@lapor/personal-data';
import { Pool } from 'pg';

/** The two stores a workflow process keeps, on one database: the event log and the erasable key vault. */
export interface Stores {
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  /** The same database, for read models kept beside the events (statistics). */
  readonly db: SqlRunner;
  close(): Promise<void>;
}

/**
 * The vault's epoch keys: in `keyDir`, a folder outside the database (and its backups). Without
 * one they live in memory, which only a database that lives in memory too may use.
 */
function epochKeys(keyDir: string | undefined): EpochKeyStore {
  return keyDir ? directoryKeyStore(keyDir) : memoryKeyStore();
}

/** A background shred that failed is retried at the next erasure, open or close; an operator must still hear of it. */
function shredFailed(error: unknown): void {
  process.emitWarning(`the personal-data vault could not shred erased keys yet: ${(error as Error).message}`, { code: 'LAPOR_SHRED_FAILED' });
}

/**
 * Embedded (PGlite): in a folder, or in memory when none is given. The epoch keys go to `keyDir`,
 * by default `<dataDir>-keys` beside the database folder (never inside it).
 */
export async function openEmbeddedStores(options: { dataDir?: string; keyDir?: string; masterKey: MasterKey }): Promise<Stores> {
  const pglite = await openPGlite(options.dataDir);
  const store = await createPGliteEventStore({ pglite });
  const db = createPGliteRunner(pglite, { ownsDatabase: false });
  const vault = await PersonalDataVault.open(db, options.masterKey, {
    keys: epochKeys(options.keyDir ?? (options.dataDir ? `${options.dataDir}-keys` : undefined)),
    onShredError: shredFailed,
  });
  return {
    store,
    vault,
    db,
    async close() {
      // a pending shred runs before the database goes
      await vault.close();
      await store.close();
      await pglite.close();
    },
  };
}

/**
 * On a PostgreSQL server, sharing one pool. Every process on the database must see the same
 * `keyDir` (LAPOR_KEY_DIR); without one the epoch keys are in memory: one process's tests only.
 */
export async function openServerStores(options: { connectionString: string; poolSize?: number; keyDir?: string; masterKey: MasterKey }): Promise<Stores> {
  const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, ...SERVER_POOL_OPTIONS });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  const vault = await PersonalDataVault.open(db, options.masterKey, { keys: epochKeys(options.keyDir), onShredError: shredFailed });
  return {
    store,
    vault,
    db,
    async close() {
      await vault.close();
      await store.close();
      // the runner's own LISTEN connection (a read side following the log) is not the pool's
      await db.close();
      await pool.end();
    },
  };
}
