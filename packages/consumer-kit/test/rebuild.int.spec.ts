import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { prepareAppliedPositions, rebuildReadModel, type RebuildableReadModel } from '../src';

// The rebuild reads the log complaint by complaint and hands each one to the writer whole, as soon
// as its stream has ended: what it holds in memory does not grow with the log.

const COMPLAINTS = 12;
const EVENTS_EACH = 3;

interface Entry {
  readonly versions: number[];
}

describe('rebuilding a read model from the log, complaint by complaint', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('rebuild_by_complaint');
    pool = new Pool({ connectionString: database.url, max: 4 });
    pool.on('error', () => undefined);
    store = await createPostgresEventStore({ pool });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await db.exec(`CREATE SCHEMA spec; CREATE TABLE spec.complaints (complaint_id text PRIMARY KEY, versions text NOT NULL)`);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it(
    'given complaints whose events take turns in the log, when rebuilt in pages smaller than the log, then each ' +
      'complaint reaches the writer once, whole and in order, the first long before the log is read to its end',
    async () => {
      const ids = Array.from({ length: COMPLAINTS }, () => randomUUID());
      for (let version = 0; version < EVENTS_EACH; version++) {
        for (const id of ids) {
          await store.appendToStream(`complaint-${id}`, [{ id: randomUUID(), type: 'Noted', data: { at: '2025-03-03T02:00:00Z' } }]);
        }
      }
      await store.appendToStream(`account-${randomUUID()}`, [{ id: randomUUID(), type: 'AccountCreated', data: {} }]);

      let eventsRead = 0;
      const written: { complaintId: string; versions: number[]; eventsRead: number }[] = [];
      const model: RebuildableReadModel<Entry> = {
        consumer: 'rebuild-spec',
        schema: 'spec',
        shadowSchema: 'spec_shadow',
        liveTables: ['complaints'],
        tablesDdl: (schema) => `CREATE TABLE ${schema}.complaints (complaint_id text NOT NULL, versions text NOT NULL)`,
        keys: (schema) => [`ALTER TABLE ${schema}.complaints ADD PRIMARY KEY (complaint_id)`],
        fold: (entry, event) => ({ versions: [...(entry?.versions ?? []), Number(event.streamVersion)] }),
        writer(into) {
          const rows = into.table('complaints', ['complaint_id', 'versions']);
          return {
            async write(complaintId, entry) {
              written.push({ complaintId, versions: entry.versions, eventsRead });
              await rows.add([complaintId, entry.versions.join(',')]);
            },
            finish: async () => undefined,
          };
        },
        handler: () => ({ name: 'rebuild-spec', handle: async () => undefined }),
      };

      const result = await rebuildReadModel(model, { store, db, pageSize: 5, onProgress: ({ events }) => (eventsRead = events) });

      expect(result).toMatchObject({ complaints: COMPLAINTS, events: COMPLAINTS * EVENTS_EACH + 1, caughtUp: 0 });
      expect(written.map(({ complaintId }) => complaintId).sort()).toEqual([...ids].sort());
      for (const { versions } of written) expect(versions).toEqual([0, 1, 2]);
      expect(written[0]!.eventsRead).toBeLessThan(10); // two pages of five, not the whole log
      const rows = await db.query<{ complaint_id: string; versions: string }>(`SELECT complaint_id, versions FROM spec.complaints`);
      expect(rows).toHaveLength(COMPLAINTS);
      expect(new Set(rows.map((row) => row.versions))).toEqual(new Set(['0,1,2']));
    },
  );
});
