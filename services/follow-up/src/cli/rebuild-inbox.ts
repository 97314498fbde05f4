// Rebuilds the staff inbox's tables from the event log, with no downtime: `pnpm inbox:rebuild` with
// DATABASE_URL set. Readers keep the old tables until the new ones are swapped in, in one transaction
// at the end; a running follow-up service carries on from there. Run it after a change to the
// tables' shape, or to repair the read model.
import { prepareAppliedPositions, rebuildWithReport } from '@lapor/consumer-kit';
import { createPostgresEventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { OrganisationDirectory } from '@lapor/workflow';
import { Pool } from 'pg';
import { rebuildInbox } from '../inbox/rebuild';
import { INBOX_SHADOW_SCHEMA, prepareInboxTables } from '../inbox/tables';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('inbox:rebuild: set DATABASE_URL to the PostgreSQL database that holds the event store');
    process.exit(2);
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  try {
    await prepareAppliedPositions(db);
    await prepareInboxTables(db);
    const { directory } = await OrganisationDirectory.open(store, []);
    const [{ n } = { n: '0' }] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM eventstore.events`);
    await rebuildWithReport('inbox', (onProgress) => rebuildInbox({ store, db, tree: directory.tree, expectedEvents: Number(n), onProgress }));
  } finally {
    await store.close();
    await pool.end().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`inbox:rebuild failed; the live tables are untouched (the shadow schema ${INBOX_SHADOW_SCHEMA} is dropped on the next run):`, error);
  process.exit(1);
});
