import { Calendar, loadCalendar } from '@lapor/calendar';
import { eventTypesIn, randomHistories, tree } from '@lapor/complaint-histories';
import { DEFAULT_SLA_CONFIGURATION, type ComplaintEvent, type SlaConfiguration } from '@lapor/domain';
import { createPgRunner, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, interleavedLog, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { createTimerPlanner, prepareSchedulerTables } from '../src';
import { yearFile } from './support';

// A page of events planned at once leaves the scheduler's tables as the same events planned one at
// a time would: a timer planned at one event of a page and not wanted at a later one is dropped
// with its first deadline, one wanted again keeps it, one that waited for its calendar year gets
// its deadline when the year has come, and what a sweeper left between pages (fired, refused, stale,
// waiting again) is planned on as the one-event SQL plans on it.
//
// The log is played in six stretches, the same for every writer, the world changing between them
// as it does under a running planner (STRETCHES): the first is planned without the 2024 decree
// (every timer waits for it), which comes before the second; a sweeper settles some pending timers
// before each of the last four; before the fifth the SLA periods grow so long that new deadlines
// fall in 2025 (timers planned before keep theirs, those planned now wait), whose decree comes
// before the sixth.

const calendarOf = (years: readonly number[]): Calendar => Calendar.fromYearFiles(years.map(yearFile));
const LATEST = loadCalendar().years;
const WITHOUT_2024 = calendarOf(LATEST.filter((year) => year !== 2024));
const ONLY_2024 = calendarOf([2024]);
const WITH_2025 = calendarOf(LATEST);
const LONG = 250;
const LONGER: SlaConfiguration = {
  classes: {
    informasi_normatif: { ...DEFAULT_SLA_CONFIGURATION.classes.informasi_normatif, completionWorkingDays: LONG },
    tanpa_pengawasan: { ...DEFAULT_SLA_CONFIGURATION.classes.tanpa_pengawasan, completionWorkingDays: LONG },
    pengawasan_lapangan: { ...DEFAULT_SLA_CONFIGURATION.classes.pengawasan_lapangan, completionWorkingDays: LONG },
  },
  verificationWorkingDays: LONG,
  firstFollowUpWorkingDays: LONG,
  autoCloseWorkingDays: LONG,
  missingDataWorkingDays: LONG,
};
const DEFAULT_POLICY = { version: 0, configuration: DEFAULT_SLA_CONFIGURATION };
const LONGER_POLICY = { version: 1, configuration: LONGER };
/** Where each stretch starts (its share of the log before it), and the world it is planned in. */
const STRETCHES = [
  { from: 0, calendar: WITHOUT_2024, policy: DEFAULT_POLICY, sweptBefore: false },
  { from: 0.4, calendar: ONLY_2024, policy: DEFAULT_POLICY, sweptBefore: false },
  { from: 0.55, calendar: ONLY_2024, policy: DEFAULT_POLICY, sweptBefore: true },
  { from: 0.7, calendar: ONLY_2024, policy: DEFAULT_POLICY, sweptBefore: true },
  { from: 0.8, calendar: ONLY_2024, policy: LONGER_POLICY, sweptBefore: true },
  { from: 0.9, calendar: WITH_2025, policy: LONGER_POLICY, sweptBefore: true },
];

/**
 * The stories as a slower office tells them: each hour between two steps of a complaint becomes
 * two days (the twenty days before one closes stay twenty days), so stages end after their
 * deadlines too (a breach seen late, its stage's end written on the timer).
 */
const CLOSING_WAIT = 20 * 86_400_000;
const slower = (histories: readonly ComplaintEvent[][]): ComplaintEvent[][] =>
  histories.map((history) => {
    let told = Date.parse(history[0]!.data.at);
    let retold = told;
    return history.map((event) => {
      const gap = Date.parse(event.data.at) - told;
      told += gap;
      retold += gap < CLOSING_WAIT ? gap * 48 : gap;
      return { ...event, data: { ...event.data, at: new Date(retold).toISOString() } } as ComplaintEvent;
    });
  });

/** Column by column; planned_at is left out: its default is the now() of the transaction that inserted the row. */
async function tablesOf(db: SqlRunner, schema: string): Promise<{ states: string[]; timers: string[] }> {
  const states = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.complaint_state t`);
  const timers = await db.query<{ row: string }>(`SELECT (to_jsonb(t) - 'planned_at')::text AS row FROM ${schema}.timers t`);
  return { states: states.map(({ row }) => row).sort(), timers: timers.map(({ row }) => row).sort() };
}

/**
 * What sweepers leave, the same on every writer's tables (they hold the same rows here): some
 * pending timers, picked by a hash of their key and the sweep, fired, refused, marked stale (as
 * sweepers before this one did) or waiting for the year their breach is seen in.
 */
async function sweep(db: SqlRunner, schema: string, round: number): Promise<void> {
  await db.query(
    `WITH picked AS (SELECT key, get_byte(decode(md5(key || $1), 'hex'), 0) % 4 AS outcome FROM ${schema}.timers
                     WHERE status = 'pending' AND get_byte(decode(md5(key || $1), 'hex'), 1) % 3 > 0)
     UPDATE ${schema}.timers t SET
       status = (ARRAY['fired', 'refused', 'stale', 'waiting'])[1 + picked.outcome],
       outcome = (ARRAY['SlaBreachRecorded', 'CLOCK_NOT_RUNNING', 'WRONG_EXPECTED_VERSION', 'CALENDAR_YEAR_MISSING 2025'])[1 + picked.outcome],
       fired_at = CASE WHEN picked.outcome < 2 THEN timestamptz '2024-04-01 09:00+08' END
     FROM picked WHERE t.key = picked.key`,
    [String(round)],
  );
}

/** The statements the handler sends through `tx`, counted per page. */
function counting(tx: SqlQueryable, counts: number[]): SqlQueryable {
  counts.push(0);
  const count = (): void => {
    counts[counts.length - 1]!++;
  };
  return {
    query: (sql, params) => {
      count();
      return tx.query(sql, params);
    },
    exec: (sql) => {
      count();
      return tx.exec(sql);
    },
  };
}

describe('the timer planner written a page at a time', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('planner_page');
    pool = new Pool({ connectionString: database.url, max: 2 });
    db = createPgRunner(pool, { ownsPool: false });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it.each([20_251_219, 20_251_224, 20_251_229])(
    'given random histories taking turns in the log (seed %i), when planned in pages of 60, 25 and 7 and event by event, then complaint_state and timers hold the same rows',
    async (seed) => {
      const histories = slower(randomHistories(60, seed));
      // verified (its breach timer dropped), disposed (first follow-up and completion clocks, a new
      // one at each disposition), asked for data (auto-archive), followed up (auto-close)
      expect(eventTypesIn(histories)).toMatchObject({
        ComplaintVerified: expect.any(Number),
        ComplaintDisposed: expect.any(Number),
        MissingDataRequested: expect.any(Number),
        FollowUpPosted: expect.any(Number),
      });
      const log = interleavedLog(histories);
      const stretches = STRETCHES.map((world, index) => {
        const [start, end] = [world.from, STRETCHES[index + 1]?.from ?? 1].map((share) => Math.floor(share * log.length));
        return { ...world, start: start!, events: log.slice(start, end) };
      });

      let { calendar, policy } = stretches[0]!;
      const writers = [1, 60, 25, 7].map((page) => {
        const schema = `by_${page}_${seed}`;
        return { schema, page, planner: createTimerPlanner({ tree: () => tree, calendar: () => calendar, policy: () => policy, schema }) };
      });
      for (const { schema } of writers) await prepareSchedulerTables(db, schema);
      const byEvent = writers[0]!.schema;

      // each status a timer of the one-event writer took, and the log index of the event that gave
      // it (a sweep's: half an index before the stretch it comes before)
      const trail = new Map<string, { index: number; status: string; ended: boolean }[]>();
      const follow = async (index: number, complaintId: string | null): Promise<void> => {
        const rows = await db.query<{ key: string; status: string; ended: boolean }>(
          `SELECT key, status, stage_ended_at IS NOT NULL AS ended FROM ${byEvent}.timers WHERE complaint_id = $1 OR $1 IS NULL`,
          [complaintId],
        );
        for (const { key, status, ended } of rows) {
          const taken = trail.get(key) ?? [];
          const last = taken.at(-1);
          if (last?.status !== status || last.ended !== ended) taken.push({ index, status, ended });
          trail.set(key, taken);
        }
      };
      const counts: number[] = [];
      const play = async ({ events, start: offset }: (typeof stretches)[number], writer: (typeof writers)[number]): Promise<void> => {
        if (writer.page === 1) {
          for (const [index, event] of events.entries()) {
            await db.transaction((tx) => writer.planner.handle(event, tx));
            await follow(offset + index, event.complaintId);
          }
          return;
        }
        for (let start = 0; start < events.length; start += writer.page) {
          await db.transaction((tx) => writer.planner.handlePage!(events.slice(start, start + writer.page), counting(tx, counts)));
        }
      };
      for (const [index, stretch] of stretches.entries()) {
        ({ calendar, policy } = stretch);
        if (stretch.sweptBefore) {
          for (const { schema } of writers) await sweep(db, schema, index);
          await follow(stretch.start - 0.5, null);
        }
        for (const writer of writers) await play(stretch, writer);
        // at the end of each stretch, so that what the next sweep does cannot hide a difference
        const [one, ...paged] = await Promise.all(writers.map(({ schema }) => tablesOf(db, schema)));
        for (const tables of paged) expect(tables).toEqual(one);
      }

      expect((await tablesOf(db, byEvent)).states).toHaveLength(60);
      // a page costs at most four statements, however many events it holds
      expect(Math.max(...counts)).toBeLessThanOrEqual(4);

      // What the rules turn on was reached: every status they read; a timer planned at one event of
      // a page of 25 and dropped at a later one; one dropped and wanted again (pending, or waiting
      // again); one that waited for its year and is due now, and one dropped while it waited; a
      // refused and a stale one pending again at a newer version; a stage's end written on a breach
      // planned while the stage ran.
      const statuses = await db.query<{ status: string }>(`SELECT DISTINCT status FROM ${byEvent}.timers ORDER BY status`);
      expect(statuses.map(({ status }) => status)).toEqual(['dropped', 'fired', 'pending', 'refused', 'stale', 'waiting']);
      const pageOf = (index: number, size: number): string => {
        const stretch = stretches.findLastIndex(({ start }) => start <= index);
        return `${stretch}:${Math.floor((index - stretches[stretch]!.start) / size)}`;
      };
      const steps = [...trail.values()].flatMap((taken) => taken.slice(1).map((to, at) => ({ from: taken[at]!, to })));
      const reached = {
        droppedWithinPage: steps.filter(({ from, to }) => to.status === 'dropped' && pageOf(from.index, 25) === pageOf(to.index, 25)).length,
        wantedAgain: steps.filter(({ from, to }) => from.status === 'dropped' && (to.status === 'pending' || to.status === 'waiting')).length,
        waitedThenDue: steps.filter(({ from, to }) => from.status === 'waiting' && to.status === 'pending').length,
        revivedRefused: steps.filter(({ from, to }) => from.status === 'refused' && to.status === 'pending').length,
        revivedStale: steps.filter(({ from, to }) => from.status === 'stale' && to.status === 'pending').length,
        waitingDropped: steps.filter(({ from, to }) => from.status === 'waiting' && to.status === 'dropped').length,
        droppedWaitingAgain: steps.filter(({ from, to }) => from.status === 'dropped' && to.status === 'waiting').length,
        endedLate: steps.filter(({ from, to }) => !from.ended && to.ended).length,
      };
      expect(Object.keys(reached).filter((what) => reached[what as keyof typeof reached] === 0)).toEqual([]);
    },
  );
});
