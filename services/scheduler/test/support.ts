import { BUNDLED_DATA_DIR, Calendar, loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { buildOrganisationTree, generateTrackingId, type Actor, type ComplaintCommand, type OrganisationNode } from '@lapor/domain';
import { createPGliteEventStore, createPostgresEventStore, type Subscription } from '@lapor/event-store';
import { createPgRunner, createPGliteRunner, openPGlite, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { ComplaintRepository } from '@lapor/workflow';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTimerPlanner, prepareSchedulerTables, replanWaiting, TimerSweeper, type SweeperOptions } from '../src';
import type { PolicyVersion } from '../src/sources';
import { DEFAULT_SLA_CONFIGURATION } from '@lapor/domain';

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'unit', id: 'dikbud', name: 'Dinas Pendidikan dan Kebudayaan', parentId: 'ntt' },
];
export const tree = buildOrganisationTree(NODES);
export const admin: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'ntt' };
export const liaison = (nodeId: string): Actor => ({ role: 'liaison', id: `pp-${nodeId}`, nodeId });
export const reporter = (name: string): Actor => ({ role: 'reporter', id: `reporter-${name}`, nodeId: null });
export const wita = (date: string, hour = 9): string => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

/** A bundled year file as an administrator would upload it (`POST /scheduler/calendar/years`). */
export const yearFile = (year: number): unknown => JSON.parse(readFileSync(join(BUNDLED_DATA_DIR, `${year}.json`), 'utf8'));
/** The calendar as it was before the decree for the year after `lastYear` was recorded. */
export const calendarUpTo = (lastYear: number): Calendar =>
  Calendar.fromYearFiles(
    loadCalendar()
      .years.filter((year) => year <= lastYear)
      .map(yearFile),
  );

/** Where the world's data lives: a PostgreSQL server, or PGlite embedded in the process. */
export type Driver = 'postgres' | 'pglite';

/** The store and the scheduler's tables on one fresh database of the driver's kind. */
async function openDatabase(label: string, driver: Driver) {
  if (driver === 'pglite') {
    const pglite = await openPGlite();
    const db = createPGliteRunner(pglite, { ownsDatabase: false });
    return {
      store: await createPGliteEventStore({ pglite }),
      db,
      // one connection, which a transaction holds to its end: the sweeper claims without one, as the embedded gateway's does
      sweeperDb: withoutTransactions(db),
      // and fires one batch at a time: without transactions, two would claim the same timers
      sweeperOptions: { batchesAtOnce: 1 },
      close: () => pglite.close(),
    };
  }
  const database: TestDatabase = await createTestDatabase(label);
  const pool = new Pool({ connectionString: database.url, max: 8 });
  pool.on('error', () => undefined);
  const db = createPgRunner(pool, { ownsPool: false });
  return {
    store: await createPostgresEventStore({ pool }),
    db,
    sweeperDb: db,
    sweeperOptions: {},
    close: async () => {
      await pool.end().catch(() => undefined);
      await database.drop();
    },
  };
}

/** Each statement on its own (services/scheduler/src/open.ts, `singleConnection`). */
function withoutTransactions(db: SqlRunner): SqlRunner {
  return { ...db, transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) => fn(db) };
}

/** A scheduler on a fresh database, with a clock the test moves and a planner following the log. */
export async function schedulerWorld(label: string, driver: Driver = 'postgres') {
  const opened = await openDatabase(label, driver);
  const { store, db } = opened;
  await prepareAppliedPositions(db);
  await prepareSchedulerTables(db);
  const repository = new ComplaintRepository(store);
  const clock = { now: new Date(wita('2025-03-03', 8)) };
  let calendar = loadCalendar();
  let policy: PolicyVersion = { version: 0, configuration: DEFAULT_SLA_CONFIGURATION, changedAt: null, changedBy: null };
  const deps = { tree: () => tree, calendar: () => calendar, policy: () => policy };
  const planner = createTimerPlanner(deps);
  const follow = (): Subscription =>
    followEventLog(
      store,
      db,
      {
        ...planner,
        handle: async (event, tx) => {
          await planner.handle(event, tx);
        },
      },
      { onError: () => undefined, retryMs: { first: 20, max: 200 } },
    );
  let following: Subscription | undefined = follow();

  const world = {
    store,
    db,
    repository,
    clock,
    setCalendar: (next: typeof calendar) => (calendar = next),
    setPolicy: (next: PolicyVersion) => (policy = next),
    replanWaiting: () => replanWaiting(db, deps),
    /** A planner that is down: events pile up unplanned (and are planned, in order, when it resumes). */
    async pausePlanner(): Promise<void> {
      await following?.close();
      following = undefined;
    },
    resumePlanner(): void {
      // the follower starts from the log's beginning; what it applied already is skipped
      following = follow();
    },
    sweeper: (options: Partial<SweeperOptions> = {}) =>
      new TimerSweeper({ db: opened.sweeperDb, repository, calendar: () => calendar, now: () => clock.now, ...opened.sweeperOptions, ...options }),
    /** Runs a command at the clock's time, as the workflow services would. */
    async act(command: Omit<ComplaintCommand, 'metadata'>, actor: Actor): Promise<void> {
      await repository.execute({ ...command, metadata: { now: clock.now.toISOString(), actor } } as ComplaintCommand, { commandId: randomUUID() });
    },
    async submit(name: string, to = 'ntt'): Promise<string> {
      const complaintId = uuidFrom(`${label}-${name}`);
      await world.act(
        {
          type: 'SubmitComplaint',
          data: {
            complaintId,
            trackingId: generateTrackingId((size) => createHash('sha256').update(`${label}-${name}`).digest().subarray(0, size)),
            kind: 'pengaduan',
            channel: 'web',
            title: name,
            description: 'cerita',
            occurredOn: null,
            location: null,
            attachments: [],
            addressedTo: tree.nodeRef(to),
            reporter: null,
            reporterRef: reporter(name).id,
            anonymous: false,
            confidential: false,
            externalReference: null,
          },
        },
        reporter(name),
      );
      return complaintId;
    },
    /** Until the planner has applied every event in the log. */
    async planned(): Promise<void> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await db.query<{ logged: string; applied: string }>(
          `SELECT (SELECT count(*) FROM eventstore.events WHERE stream_id LIKE 'complaint-%')::text AS logged,
                  (SELECT coalesce(sum(stream_version + 1), 0) FROM consumers.applied WHERE consumer = 'scheduler')::text AS applied`,
        );
        if (row!.logged === row!.applied) return;
        if (Date.now() > deadline) throw new Error(`planner applied ${row!.applied} of ${row!.logged} events`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    /** What the reporter sees now: PROSES, SELESAI, ARSIP… */
    async status(complaintId: string): Promise<string | null> {
      const { state } = await repository.load(complaintId);
      return state.submitted ? state.status : null;
    },
    async events(complaintId: string): Promise<string[]> {
      return (await store.readStream(`complaint-${complaintId}`)).map((event) => event.type);
    },
    async timers(complaintId: string) {
      return db.query<{ key: string; kind: string; status: string; due_at: Date; outcome: string | null; calendar_version: string; policy_version: number }>(
        `SELECT key, kind, status, due_at, outcome, calendar_version, policy_version FROM scheduler.timers WHERE complaint_id = $1 ORDER BY due_at`,
        [complaintId],
      );
    },
    async close(): Promise<void> {
      await following?.close();
      await store.close();
      await opened.close();
    },
  };
  return world;
}
export type SchedulerWorld = Awaited<ReturnType<typeof schedulerWorld>>;

export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
