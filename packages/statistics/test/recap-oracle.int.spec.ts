import { PGlite } from '@electric-sql/pglite';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { createPGliteRunner, type SqlRunner } from '@lapor/sql';
import fc from 'fast-check';
import { loadCalendar } from '@lapor/calendar';
import { createStatisticsProjection, prepareStatisticsTables, queryUnitRecap, unitRecap } from '../src';
import { appendHistories, dateOf, randomHistories, RecapQuestion } from './random-histories';
import { tree } from './story';

const calendar = loadCalendar();

// The oracle: whatever the histories and whatever the question (period, moment), the table the read
// model serves equals the table computed by folding the event log directly.

describe('the recap read model against the event log', () => {
  let pglite: PGlite;
  let store: EventStore;
  let db: SqlRunner;
  const histories: ComplaintEvent[][] = [];

  beforeAll(async () => {
    pglite = await PGlite.create();
    store = await createPGliteEventStore({ pglite });
    db = createPGliteRunner(pglite, { ownsDatabase: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);

    histories.push(...randomHistories(120, 20_241_231));
    const total = await appendHistories(store, histories);
    let applied = 0;
    const errors: unknown[] = [];
    const projection = createStatisticsProjection({ tree: () => tree, calendar: () => calendar });
    const following = followEventLog(
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
      { onError: (error) => errors.push(error) },
    );
    const deadline = Date.now() + 60_000;
    while (applied < total && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await following.close();
    if (errors.length > 0) throw errors[0];
  });
  afterAll(async () => {
    await store.close();
    await pglite.close();
  });

  it('given the whole range, then every column has something in it (the histories are not trivial)', async () => {
    const whole = await queryUnitRecap(db, tree, { period: { from: dateOf(0), to: dateOf(600) }, nodeId: 'ntt' });
    for (const column of ['belumTerverifikasi', 'belumDitindaklanjuti', 'proses', 'selesai', 'tunda', 'arsip'] as const)
      expect(whole.total[column]).toBeGreaterThan(0);
    expect(whole.total.rhp).toBeGreaterThan(0);
    expect(whole.total.rtl).toBeGreaterThan(0);
  });

  it('given random histories, for random periods and moments, then the served recap equals the fold of the log', async () => {
    await fc.assert(
      fc.asyncProperty(RecapQuestion, async (query) => {
        expect(await queryUnitRecap(db, tree, query)).toEqual(unitRecap(histories, tree, query));
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
