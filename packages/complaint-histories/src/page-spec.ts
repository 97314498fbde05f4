import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';

// What the specs of a read side's page write share: a database of their own, and the same log
// written into two copies of the read side, event by event and a page at a time.

/** A PostgreSQL database of the spec's own, made before its tests and dropped after them; `db` is there once beforeAll has run. */
export function specDatabase(name: string): { readonly db: SqlRunner } {
  const opened: { db?: SqlRunner } = {};
  let database: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(name);
    pool = new Pool({ connectionString: database.url, max: 2 });
    opened.db = createPgRunner(pool, { ownsPool: false });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });
  return {
    get db(): SqlRunner {
      if (!opened.db) throw new Error('the spec database is opened in beforeAll');
      return opened.db;
    },
  };
}

/** The log into two copies of a read side: each event in a transaction of its own through `handle`, and `pageSize` events a transaction through `handlePage`. */
export async function writeByEventAndByPage(
  db: SqlRunner,
  log: readonly EventEnvelope[],
  copies: { readonly byEvent: EventHandler; readonly byPage: EventHandler },
  pageSize: number,
): Promise<void> {
  const { byEvent, byPage } = copies;
  if (!byPage.handlePage) throw new Error(`${byPage.name} writes no pages`);
  for (const event of log) await db.transaction((tx) => byEvent.handle(event, tx));
  for (let start = 0; start < log.length; start += pageSize) await db.transaction((tx) => byPage.handlePage!(log.slice(start, start + pageSize), tx));
}
