import { CalendarSource } from '@lapor/calendar';
import { createPGliteEventStore, createPostgresEventStore } from '@lapor/event-store';
import { prepareInboxTables, rebuildInbox } from '@lapor/follow-up';
import { createPGliteRunner, createPgRunner, openPGlite } from '@lapor/sql';
import { prepareStatisticsTables, rebuildStatistics } from '@lapor/statistics';
import { OrganisationDirectory } from '@lapor/workflow';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { discardReadModels } from './read-models';

const run = promisify(execFile);

export interface RestoreReport {
  readonly events: number;
  /** Rebuilt here; the others fill from the log when their process starts, ready only once caught up. */
  readonly rebuilt: readonly string[];
}

/**
 * Restores a pg_dump made by backupServer into `databaseUrl`, which must be an empty database, then
 * makes the read models again from the restored log: the statistics and the inbox are rebuilt here
 * (in the distributed set they are fed by Kafka, whose offsets are past what they would need), the
 * lists fill from the log when their process starts.
 */
export async function restoreServer(databaseUrl: string, file: string): Promise<RestoreReport> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  try {
    const [{ used } = { used: false }] = (await pool.query<{ used: boolean }>(`SELECT to_regclass('eventstore.events') IS NOT NULL AS used`)).rows;
    if (used) throw new Error('the target database already holds an event store: restore into a new, empty database');
    await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', databaseUrl, file], { maxBuffer: 16 * 1024 * 1024 });
    const store = await createPostgresEventStore({ pool });
    const db = createPgRunner(pool, { ownsPool: false });
    try {
      await discardReadModels(db);
      const [{ n } = { n: '0' }] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM eventstore.events`);
      const { directory } = await OrganisationDirectory.open(store, []);
      await prepareStatisticsTables(db);
      const calendar = (await CalendarSource.open(store)).get();
      await rebuildStatistics({ store, db, tree: directory.tree, calendar, expectedEvents: Number(n) });
      await prepareInboxTables(db);
      await rebuildInbox({ store, db, tree: directory.tree, expectedEvents: Number(n) });
      return { events: Number(n), rebuilt: ['statistics', 'inbox'] };
    } finally {
      await store.close();
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/**
 * Restores a dump made by backupEmbedded into `databaseDir`, which must not exist yet or be empty;
 * the read models are dropped, and the gateway fills them from the log at its next start (ready
 * only once they have caught up).
 */
export async function restoreEmbedded(databaseDir: string, file: string): Promise<RestoreReport> {
  const present = await readdir(databaseDir).catch(() => []);
  if (present.length > 0) throw new Error(`${databaseDir} is not empty: restore into a new folder (move the old one aside first)`);
  const pglite = await openPGlite(databaseDir, { loadDataDir: new Blob([await readFile(file)]) });
  try {
    const store = await createPGliteEventStore({ pglite });
    const db = createPGliteRunner(pglite, { ownsDatabase: false });
    await discardReadModels(db);
    const [{ n } = { n: '0' }] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM eventstore.events`);
    await store.close();
    return { events: Number(n), rebuilt: [] };
  } finally {
    await pglite.close();
  }
}
