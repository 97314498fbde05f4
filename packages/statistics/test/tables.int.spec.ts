import { PGlite } from '@electric-sql/pglite';
import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { createPGliteRunner, type SqlRunner } from '@lapor/sql';
import {
  createStatisticsProjection,
  prepareStatisticsTables,
  queryAdminPerformance,
  queryBreaches,
  queryPeriodStatistics,
  queryRouting,
  queryTopicRecap,
} from '../src';
import { appendHistories } from './random-histories';
import { day, Story, tree } from './story';

const calendar = loadCalendar();

// The tables beside the recap, each asked what an official would check of it.

const MARCH = { from: '2025-03-01', to: '2025-03-31' };
const Q1 = { from: '2025-01-01', to: '2025-03-31' };

describe('the statistics tables beside the recap', () => {
  let pglite: PGlite;
  let store: EventStore;
  let db: SqlRunner;

  const given = async (histories: ComplaintEvent[][]): Promise<void> => {
    const total = await appendHistories(store, histories);
    let applied = 0;
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
      {
        onError: (error) => {
          throw error;
        },
      },
    );
    while (applied < total) await new Promise((resolve) => setTimeout(resolve, 10));
    await following.close();
  };

  beforeAll(async () => {
    pglite = await PGlite.create();
    store = await createPGliteEventStore({ pglite });
    db = createPGliteRunner(pglite, { ownsDatabase: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    // Monday 3 March 2025 onwards; "within N working days" counts the days after receipt, N included
    await given([
      new Story('jalan rusak', day('2025-03-03'))
        .verify(day('2025-03-03'), 'PERBAIKAN JALAN')
        .dispose('pupr', day('2025-03-04'))
        .followUp('pupr', day('2025-03-05'))
        .complete(day('2025-03-24')).events,
      new Story('pungli sekolah', day('2025-03-03'))
        .verify(day('2025-03-11'), 'PUNGLI')
        .dispose('pupr', day('2025-03-11'))
        .returnUp('pupr', day('2025-03-12'))
        .dispose('dikbud', day('2025-03-14'))
        .followUp('dikbud', day('2025-03-20')).events,
      new Story('pungli lagi', day('2025-03-04'))
        .verify(day('2025-03-04'), 'PUNGLI')
        .dispose('dikbud', day('2025-03-04'))
        .firstFollowUpBreached(day('2025-03-11', 23), day('2025-03-13'), 2).events,
      new Story('data kurang', day('2025-03-05')).postpone(day('2025-03-05')).events,
      new Story('spam', day('2025-03-06')).archive(day('2025-03-06')).events,
      new Story('bulan lalu', day('2025-02-10')).events,
    ]);
  });
  afterAll(async () => {
    await store.close();
    await pglite.close();
  });

  it('given verifications on the day and a week later, then Kinerja Admin splits them at 3 working days and counts Tunda and Arsip', async () => {
    expect(await queryAdminPerformance(db, tree, 'ntt', MARCH)).toEqual([
      expect.objectContaining({
        accountId: 'admin-ntt',
        verifications: 3,
        verifiedWithin3Days: 2,
        verifiedAfter3Days: 1,
        postponements: 1,
        archivings: 1,
        averageVerificationDays: 2.7,
      }),
    ]);
    // a liaison's node sees no administrators below it
    expect(await queryAdminPerformance(db, tree, 'pupr', MARCH)).toEqual([]);
  });

  it('given a quarter, then every month has a row, February’s complaint in February, and March’s dispositions and follow-ups split at 5 working days', async () => {
    const months = await queryPeriodStatistics(db, tree, 'ntt', Q1);
    expect(months.map((month) => [month.month, month.received, month.completed])).toEqual([
      ['2025-01', 0, 0],
      ['2025-02', 1, 0],
      ['2025-03', 5, 1], // PUPR's road, the only one completed
    ]);
    expect(months[2]).toMatchObject({
      disposedWithin5Days: 2, // on the day; the next day
      disposedAfter5Days: 1, // 6 working days later, to the wrong unit first: its first disposition counts
      followedUpWithin5Days: 2, // PUPR the next day; Dikbud 4 working days after it arrived
      followedUpAfter5Days: 0,
      completedWithin5Days: 0,
      completedAfter5Days: 1,
      reporters: 5,
      averageReportsPerDay: Math.round((5 / 31) * 100) / 100,
    });
    expect(months[2]!.averageHandlingDays).toBe(21);
  });

  it('given complaints about roads and extortion, then the topic recap names each unit’s main topics and the instansi’s list', async () => {
    const topics = await queryTopicRecap(db, tree, 'ntt', MARCH);
    expect(topics.categories).toEqual([
      { category: 'PUNGLI', categoryId: null, count: 2 },
      { category: 'PERBAIKAN JALAN', categoryId: null, count: 1 },
    ]);
    expect(topics.rows.find((row) => row.nodeId === 'dikbud')).toMatchObject({
      proses: 1,
      belumDitindaklanjuti: 1,
      total: 2,
      topics: [{ category: 'PUNGLI', categoryId: null, count: 2 }],
    });
    expect(topics.rows.find((row) => row.nodeId === 'pupr')).toMatchObject({
      selesai: 1,
      total: 1,
      topics: [{ category: 'PERBAIKAN JALAN', categoryId: null, count: 1 }],
    });
  });

  it('given a complaint sent to the wrong unit first, then routing shows the bounce and the days the wrong door cost', async () => {
    const routing = await queryRouting(db, tree, 'ntt', MARCH);
    expect(routing.total).toMatchObject({ complaints: 5, rerouted: 1, averageDaysLostPerReturn: 3 });
    expect(routing.below.find((row) => row.nodeId === 'pupr')).toMatchObject({
      dispositionsReceived: 2,
      returned: 1,
      bounceRate: 50,
      averageDaysLostPerReturn: 3,
    });
    expect(routing.below.find((row) => row.nodeId === 'dikbud')).toMatchObject({ dispositionsReceived: 2, returned: 0, bounceRate: 0 });
  });

  it('given a unit that followed up late, then the breach counts against that unit, with how late it was', async () => {
    const breaches = await queryBreaches(db, tree, 'ntt', MARCH);
    expect(breaches.total).toMatchObject({ firstFollowUp: 1, verification: 0, completion: 0, total: 1, averageWorkingDaysLate: 2 });
    expect(breaches.below.find((row) => row.nodeId === 'dikbud')).toMatchObject({ firstFollowUp: 1, total: 1 });
    expect(breaches.below.find((row) => row.nodeId === 'pupr')).toMatchObject({ total: 0 });
  });
});
