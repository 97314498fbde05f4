// Rebuilds every statistics table from the event log, with no downtime: `pnpm statistics:rebuild`
// with DATABASE_URL set. Readers keep the old tables until the new ones are swapped in, in one
// transaction at the end. Run it after a change to the tables' shape, or to repair a read model.
import { CalendarSource } from '@lapor/calendar';
import { prepareAppliedPositions, rebuildWithReport } from '@lapor/consumer-kit';
import { createPostgresEventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { OrganisationDirectory } from '@lapor/workflow';
import { Pool } from 'pg';
import { rebuildStatistics } from '../rebuild';
import { prepareStatisticsTables } from '../tables';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('statistics:rebuild: set DATABASE_URL to the PostgreSQL database that holds the event store');
    process.exit(2);
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  try {
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    const { directory } = await OrganisationDirectory.open(store, []);
    const [{ n } = { n: '0' }] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM eventstore.events`);
    const calendar = (await CalendarSource.open(store)).get();
    await rebuildWithReport('statistics', (onProgress) =>
      rebuildStatistics({ store, db, tree: directory.tree, calendar, expectedEvents: Number(n), onProgress }),
    );
  } finally {
    await store.close();
    await pool.end().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error('statistics:rebuild failed; the live tables are untouched (the shadow schema statistics_shadow is dropped on the next run):', error);
  process.exit(1);
});
