import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPGliteEventStore, createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, createPGliteRunner, openPGlite, type SqlRunner } from '@lapor/sql';
import { createTestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import {
  createStatisticsProjection,
  prepareStatisticsTables,
  queryUnitRecap,
  queryUnitRecapByIntervals,
  rebuildStatistics,
  type Period,
  type RecapQuery,
} from '../src';
import { appendHistories, randomHistories } from './random-histories';
import { day, Story, tree } from './story';

// The recap as of a past moment is summed from the changes kept per day, dekad and month
// (recap_changes) and the intervals of the moment's own day; it must answer exactly what the scan
// of every interval valid at that moment answers: for moments on, just before and just after the
// days, dekads and months the changes are summed by, at midnight in each of the three zones, for
// whole and ragged periods, for every scope; after changes that arrive late, dated before changes
// already summed; and after a rebuild.

const calendar = loadCalendar();

type Opened = { db: SqlRunner; store: EventStore; close(): Promise<void> };
const backends: [string, () => Promise<Opened>][] = [
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase('statistics_as_of');
      const pool = new Pool({ connectionString: database.url, max: 4 });
      pool.on('error', () => undefined);
      const store = await createPostgresEventStore({ pool });
      const db = createPgRunner(pool, { ownsPool: false });
      return {
        db,
        store,
        async close() {
          await store.close();
          await pool.end();
          await database.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    async () => {
      const pglite = await openPGlite();
      const store = await createPGliteEventStore({ pglite });
      const db = createPGliteRunner(pglite, { ownsDatabase: false });
      return {
        db,
        store,
        async close() {
          await store.close();
          await pglite.close();
        },
      };
    },
  ],
];

// months, dekads and days the changes are summed by, and some days that are none of them
const BOUNDARY_DATES = ['2024-01-11', '2024-02-21', '2024-03-01', '2024-03-11', '2024-07-01', '2024-12-31', '2025-01-01', '2025-05-20'];
const momentsAround = (date: string): Date[] => {
  const wib = Date.parse(`${date}T00:00:00+07:00`);
  return [
    new Date(wib - 1),
    new Date(wib),
    new Date(`${date}T00:00:00+08:00`), // midnight WITA
    new Date(`${date}T00:00:00+09:00`), // midnight WIT
    new Date(`${date}T12:00:00+08:00`), // amid the stories' events (10:00–14:00 WITA)
  ];
};
const MOMENTS = [...BOUNDARY_DATES.flatMap(momentsAround), new Date('2023-12-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z')];
const PERIODS: Period[] = [
  { from: '2024-01-01', to: '2024-12-31' }, // a whole year
  { from: '2024-02-13', to: '2024-11-20' }, // ragged at both ends
  { from: '2024-03-01', to: '2024-03-31' }, // one whole month
  { from: '2024-03-05', to: '2024-03-25' }, // days of one month only
  { from: '2024-12-15', to: '2025-01-31' }, // ragged start, whole end
];
const NODES = ['nasional', 'dikbud'];

describe.each(backends)('the recap as of a past moment from the summed changes (%s)', (backend, open) => {
  let opened: Opened;
  let db: SqlRunner;

  const given = async (histories: ComplaintEvent[][]): Promise<void> => {
    const total = await appendHistories(opened.store, histories);
    let applied = 0;
    const errors: unknown[] = [];
    const projection = createStatisticsProjection({ tree: () => tree, calendar: () => calendar });
    const following = followEventLog(
      opened.store,
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
      { onError: (error) => errors.push(error) },
    );
    const deadline = Date.now() + 120_000;
    while (applied < total && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await following.close();
    if (errors.length > 0) throw errors[0];
  };

  /** Every question asked both ways: [question, summed, scanned]. */
  const askEverything = async (): Promise<{ query: RecapQuery; summed: unknown; scanned: unknown }[]> => {
    const answers = [];
    for (const asOf of MOMENTS)
      for (const period of PERIODS)
        for (const nodeId of NODES) {
          const query = { period, asOf, nodeId };
          answers.push({ query, summed: await queryUnitRecap(db, tree, query), scanned: await queryUnitRecapByIntervals(db, tree, query) });
        }
    return answers;
  };
  const expectAgreement = (answers: Awaited<ReturnType<typeof askEverything>>): void => {
    for (const { query, summed, scanned } of answers) expect({ query, recap: summed }).toEqual({ query, recap: scanned });
  };

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    // each complaint's whole life is applied before the next one's: most changes arrive dated
    // before changes of earlier complaints already summed
    await given([
      ...randomHistories(150, 20_251_204),
      // events on the moments the changes are split at: midnight WIB on the first of a month and of a dekad
      new Story('on the boundaries', '2024-02-29T17:00:00.000Z').verify('2024-03-10T17:00:00.000Z').dispose('pupr', '2024-03-10T17:00:00.000Z').events,
      // a later event dated before an earlier one (a clock behind): the interval between never counts
      new Story('clock behind', day('2024-06-20')).verify(day('2024-07-02')).dispose('pupr', day('2024-07-01')).followUp('pupr', day('2024-07-05')).events,
    ]);
  }, 300_000);
  afterAll(() => opened.close());

  it('given histories over a year and a half, when asked as of many moments, then the summed changes answer what the interval scan answers', async () => {
    const answers = await askEverything();
    expectAgreement(answers);
    // the histories are not trivial: the moments see different tables, most of them something
    const totals = answers.filter(({ query }) => query.nodeId === 'nasional').map(({ summed }) => (summed as { total: { total: number } }).total.total);
    expect(new Set(totals).size).toBeGreaterThan(10);
    expect(totals.filter((total) => total > 0).length).toBeGreaterThan(totals.length / 2);
  });

  it('given a complaint that arrives late, dated months before changes already summed, then it counts from its own moments on and the answers still agree', async () => {
    const period = { from: '2024-01-01', to: '2024-12-31' };
    const before = await queryUnitRecap(db, tree, { period, nodeId: 'ntt', asOf: new Date('2024-05-01T00:00:00+07:00') });
    await given([
      new Story('late', day('2024-04-02')).verify(day('2024-04-03')).dispose('dikbud', day('2024-04-03')).followUp('dikbud', day('2024-06-03')).events,
    ]);
    const after = await queryUnitRecap(db, tree, { period, nodeId: 'ntt', asOf: new Date('2024-05-01T00:00:00+07:00') });
    expect(after.total.belumDitindaklanjuti).toBe(before.total.belumDitindaklanjuti + 1);
    expectAgreement(await askEverything());
  }, 120_000);

  // a rebuild is run against a server (as in rebuild.int.spec.ts)
  if (backend === 'PostgreSQL')
    it('given the live tables, when rebuilt from the log, then every moment answers as before and as the interval scan', async () => {
      const live = await askEverything();
      await rebuildStatistics({ store: opened.store, db, tree, calendar, pageSize: 100 });
      const rebuilt = await askEverything();
      expectAgreement(rebuilt);
      expect(rebuilt.map(({ summed }) => summed)).toEqual(live.map(({ summed }) => summed));
    }, 300_000);
});
