import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import {
  createStatisticsProjection,
  prepareStatisticsTables,
  queryAdminPerformance,
  queryBreaches,
  queryPeriodStatistics,
  queryRouting,
  queryTopicRecap,
  queryUnitRecap,
  rebuildStatistics,
  type RebuildProgress,
} from '../src';
import { appendHistories, dateOf, randomHistories } from './random-histories';
import { day, Story, tree } from './story';

// Rebuilding from the log gives the tables the live projection built, swaps them in while the live
// projection keeps running, and leaves that projection carrying on from where the rebuild stopped.

const calendar = loadCalendar();
const WHOLE = { from: dateOf(0), to: dateOf(600) };

describe('rebuilding the statistics from the event log (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let db: SqlRunner;
  let following: { close(): Promise<void> };
  let applied = 0;

  const everyTable = async () => ({
    recap: await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE }),
    recapThen: await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE, asOf: new Date(`${dateOf(200)}T04:00:00Z`) }),
    admins: await queryAdminPerformance(db, tree, 'ntt', WHOLE),
    periods: await queryPeriodStatistics(db, tree, 'ntt', WHOLE),
    topics: await queryTopicRecap(db, tree, 'ntt', WHOLE),
    routing: await queryRouting(db, tree, 'ntt', WHOLE),
    breaches: await queryBreaches(db, tree, 'ntt', WHOLE),
  });
  const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('statistics-rebuild');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    store = await createPostgresEventStore({ pool });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    const total = await appendHistories(store, randomHistories(150, 31));
    const projection = createStatisticsProjection({ tree: () => tree, calendar: () => calendar });
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
      { onError: () => undefined, retryMs: { first: 20, max: 200 } },
    );
    await until(() => applied >= total);
    // handled is not committed: a page's events commit together after the last is handled
    await until(async () => {
      const [row] = await db.query<{ events: string }>(
        `SELECT coalesce(sum(stream_version + 1), 0)::text AS events FROM consumers.applied WHERE consumer = $1`,
        [projection.name],
      );
      return Number(row?.events ?? 0) >= total;
    });
  });
  afterAll(async () => {
    await following.close();
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given tables built live, when rebuilt from the log, then every table answers the same, and progress was reported', async () => {
    const live = await everyTable();
    expect(live.recap.total.total).toBeGreaterThan(0);
    expect(live.breaches.total.firstFollowUp).toBeGreaterThan(0);
    const progress: RebuildProgress[] = [];
    const result = await rebuildStatistics({ store, db, tree, calendar, pageSize: 100, onProgress: (step) => progress.push(step) });
    expect(result.complaints).toBe(150);
    expect(await everyTable()).toEqual(live);
    expect(progress.map((step) => step.phase)).toEqual(expect.arrayContaining(['reading', 'writing', 'swapping']));
    expect(progress.filter((step) => step.phase === 'reading').at(-1)!.events).toBe(result.events - result.caughtUp);
  });

  it('given the swap, then the live projection carries on: a complaint told afterwards shows up once', async () => {
    const before = await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE });
    await rebuildStatistics({ store, db, tree, calendar });
    await appendHistories(store, [new Story('after the rebuild', day(dateOf(10))).verify(day(dateOf(11))).dispose('pupr', day(dateOf(11))).events]);
    await until(
      async () => (await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE })).total.belumDitindaklanjuti === before.total.belumDitindaklanjuti + 1,
    );
    const [positions] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM consumers.applied WHERE consumer = 'statistics'`);
    expect(Number(positions!.n)).toBe(151);
  });

  it('given appends while the rebuild runs, then none is lost and none counted twice', async () => {
    const writing = (async () => {
      for (let index = 0; index < 20; index++) await appendHistories(store, [new Story(`during-${index}`, day(dateOf(20 + index))).events]);
    })();
    await rebuildStatistics({ store, db, tree, calendar, pageSize: 10 });
    await writing;
    const expected = (await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE })).total;
    await until(async () => (await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE })).total.total >= expected.total);
    await rebuildStatistics({ store, db, tree, calendar });
    expect((await queryUnitRecap(db, tree, { nodeId: 'ntt', period: WHOLE })).total).toEqual(expected);
    const [complaints] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM statistics.complaint_facts`);
    expect(Number(complaints!.n)).toBe(171);
  });
});
