import { followEventLog, prepareAppliedPositions, type RebuildProgress } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createInboxProjection } from '../src/inbox/projection';
import { rebuildInbox } from '../src/inbox/rebuild';
import { prepareInboxTables } from '../src/inbox/tables';
import { randomHistories, tree } from '@lapor/complaint-histories';

// Rebuilding the inbox from the log gives, row for row, the tables the live projection built one event
// at a time; it swaps them in while that projection keeps running, which then carries on from there.
// An older shape's tables upgraded in place end as the rebuild would have made them.

async function append(store: EventStore, histories: readonly ComplaintEvent[][]): Promise<number> {
  let events = 0;
  for (const history of histories) {
    const complaintId = (history[0]!.data as { complaintId: string }).complaintId;
    await store.appendToStream(
      `complaint-${complaintId}`,
      history.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
    );
    events += history.length;
  }
  return events;
}

/** Different complaint ids than the first histories' (those are named by their index alone). */
const laterHistories = (count: number, seed: number): ComplaintEvent[][] =>
  randomHistories(count, seed).map((history) => {
    const complaintId = randomUUID();
    return history.map((event) => ({ ...event, data: { ...event.data, complaintId } }) as ComplaintEvent);
  });

describe('rebuilding the inbox from the event log (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let db: SqlRunner;
  let following: { close(): Promise<void> };

  const tables = async () => ({
    complaints: await db.query(`SELECT * FROM inbox.complaints ORDER BY complaint_id`),
    visibility: await db.query(`SELECT * FROM inbox.visibility ORDER BY node_id, complaint_id`),
    titleWords: await db.query(`SELECT * FROM inbox.title_words ORDER BY word`),
    searchable: await db.query(`SELECT * FROM inbox.searchable ORDER BY complaint_id`),
    // a group a complaint left keeps its row at 0 live; a rebuild makes none for it
    counts: await db.query(`SELECT * FROM inbox.visibility_counts WHERE n <> 0 ORDER BY node_id, status, kind, channel, category`),
    applied: await db.query(`SELECT complaint_id, stream_version FROM consumers.applied WHERE consumer = 'inbox' ORDER BY complaint_id`),
  });
  const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('inbox_rebuild');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    store = await createPostgresEventStore({ pool });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await prepareInboxTables(db);
    const total = await append(store, randomHistories(150, 20_241_204));
    let applied = 0;
    // what a committed page had applied: handle runs inside the page's transaction, before its commit
    let committed = 0;
    const projection = createInboxProjection({ tree: () => tree });
    following = followEventLog(
      store,
      db,
      {
        ...projection,
        handle: async (event, tx) => {
          await projection.handle(event, tx);
          applied++;
        },
        handlePage: async (events, tx) => {
          await projection.handlePage!(events, tx);
          applied += events.length;
        },
      },
      { onError: () => undefined, retryMs: { first: 20, max: 200 }, onPosition: () => (committed = applied) },
    );
    await until(() => committed >= total);
  });
  afterAll(async () => {
    await following.close();
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given random histories projected live, when rebuilt from the log, then both tables and the applied positions are the same row for row, and progress was reported', async () => {
    const live = await tables();
    expect(live.complaints).toHaveLength(150);
    expect(new Set(live.visibility.map((row) => row.relation))).toEqual(new Set(['holder', 'tembusan', 'below']));
    const progress: RebuildProgress[] = [];
    const result = await rebuildInbox({ store, db, tree, pageSize: 100, onProgress: (step) => progress.push(step) });
    expect(result.complaints).toBe(150);
    expect(live.titleWords.length).toBeGreaterThan(0);
    expect(live.searchable).toHaveLength(150);
    // the counts are the visibility rows, grouped
    expect(live.counts.reduce((sum, row) => sum + Number(row.n), 0)).toBe(live.visibility.length);
    expect(result.rows).toBe(150 + live.visibility.length + live.applied.length + 1);
    expect(await tables()).toEqual(live);
    expect(progress.map((step) => step.phase)).toEqual(expect.arrayContaining(['reading', 'writing', 'swapping']));
    // the rebuilt tables have the live tables' keys and indexes
    const [indexes] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'inbox'`);
    // complaints 2, visibility 7 (a page index per filter), visibility_counts 1, title_words 2, searchable 4
    expect(Number(indexes!.n)).toBe(16);
    // and a follower started now reads on from the end of the log
    const [followed] = await db.query<{ at_end: boolean }>(
      `SELECT f.position = (SELECT max(global_position) FROM eventstore.events) AS at_end FROM consumers.followed f WHERE f.consumer = 'inbox'`,
    );
    expect(followed?.at_end).toBe(true);
  });

  it('given appends while the rebuild runs and the live projection keeps going, then after it catches up nothing is lost or twice: a second rebuild agrees', async () => {
    const writing = (async () => {
      for (let index = 0; index < 20; index++) await append(store, laterHistories(1, 500 + index));
    })();
    await rebuildInbox({ store, db, tree, pageSize: 10 });
    await writing;
    // caught up: every complaint in, and nothing changing any more (events the swap caught up are skipped live)
    let live = await tables();
    await until(async () => {
      const now = await tables();
      const settled = now.complaints.length === 170 && JSON.stringify(now) === JSON.stringify(live);
      live = now;
      return settled;
    });
    await rebuildInbox({ store, db, tree });
    expect(await tables()).toEqual(live);
  });

  it('given the inbox tables as shape 4 left them (no lexicon, no searchable, search indexes on complaints), when prepared, then they are upgraded in place to what shape 6 builds: the same rows, indexes and applied positions', async () => {
    const indexes = () => db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'inbox' ORDER BY indexname`);
    const [built, builtIndexes] = [await tables(), await indexes()];
    await db.transaction(async (tx) => {
      await tx.exec(`DROP TABLE inbox.title_words, inbox.searchable, inbox.visibility_counts;
        DROP INDEX ${['status', 'kind', 'channel', 'category'].map((column) => `inbox.visibility_page_by_${column}`).join(', ')};
        CREATE INDEX complaints_search ON inbox.complaints USING gin (search);
        CREATE INDEX complaints_tracking_trigrams ON inbox.complaints USING gin (tracking_id gin_trgm_ops);
        CREATE INDEX complaints_title_trigrams ON inbox.complaints USING gin (title gin_trgm_ops);
        UPDATE inbox.shape SET shape = 4;`);
    });

    expect(await prepareInboxTables(db)).toEqual({ reset: false, upgradedFrom: 4 });

    expect(await tables()).toEqual(built);
    expect(await indexes()).toEqual(builtIndexes);
    expect(await db.query(`SELECT shape FROM inbox.shape`)).toEqual([{ shape: 6 }]);
  });

  it('given the inbox tables as shape 5 left them (no counts), when prepared, then the counts are made from the visibility rows in place', async () => {
    const [built, builtCounts] = [await tables(), await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'visibility_counts'`)];
    await db.exec(`DROP TABLE inbox.visibility_counts; UPDATE inbox.shape SET shape = 5`);

    expect(await prepareInboxTables(db)).toEqual({ reset: false, upgradedFrom: 5 });

    expect(await tables()).toEqual(built);
    expect(await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'visibility_counts'`)).toEqual(builtCounts);
  });
});
