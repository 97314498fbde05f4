import { PGlite } from '@electric-sql/pglite';
import { createPGliteEventStore, createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPGliteRunner, createPgRunner, type SqlRunner } from '@lapor/sql';
import { PersonalDataVault, type MasterKey } from '@lapor/personal-data';
import { Pool } from 'pg';

/** The two stores a workflow process keeps, on one database: the event log and the erasable key vault. */
export interface Stores {
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  /** The same database, for read models kept beside the events (statistics). */
  readonly db: SqlRunner;
  close(): Promise<void>;
}

/** Embedded (PGlite): in a folder, or in memory when none is given. */
export async function openEmbeddedStores(options: { dataDir?: string; masterKey: MasterKey }): Promise<Stores> {
  const pglite = await PGlite.create(options.dataDir);
  const store = await createPGliteEventStore({ pglite });
  const db = createPGliteRunner(pglite, { ownsDatabase: false });
  const vault = await PersonalDataVault.open(db, options.masterKey);
  return {
    store,
    vault,
    db,
    async close() {
      await store.close();
      await pglite.close();
    },
  };
}

/** On a PostgreSQL server, sharing one pool. */
export async function openServerStores(options: { connectionString: string; poolSize?: number; masterKey: MasterKey }): Promise<Stores> {
  const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  const vault = await PersonalDataVault.open(db, options.masterKey);
  return {
    store,
    vault,
    db,
    async close() {
      await store.close();
      // the runner's own LISTEN connection (a read side following the log) is not the pool's
      await db.close();
      await pool.end();
    },
  };
}
