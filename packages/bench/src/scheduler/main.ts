// `pnpm bench:scheduler`: the SLA scheduler with many open timers. Planning rate (timers/s from the
// event log) next to raw one-row transactions; firing rate (due timers/s through the decider, a
// claimed batch's events appended in one statement and one commit) next to single-event appends
// from 16 writers sharing commits; and
// the cost of a sweep with nothing due, with few and with LAPOR_BENCH_TIMERS (default 1,000,000) open timers.
// Writes results/scheduler.md.
import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { buildOrganisationTree, complaintDecider, DEFAULT_SLA_CONFIGURATION, generateTrackingId, type OrganisationNode } from '@lapor/domain';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTimerPlanner, prepareSchedulerTables, TimerSweeper } from '@lapor/scheduler';
import { ComplaintRepository, toStoredEvents } from '@lapor/workflow';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, targets, type Row } from '../report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OPEN = Number(process.env.LAPOR_BENCH_TIMERS ?? 1_000_000);
const PLANNED = Number(process.env.LAPOR_BENCH_PLANNED ?? 20_000);
// Unset, each sweeper fires every complaint of a claimed batch at once (its default).
const CONCURRENCY = process.env.LAPOR_BENCH_CONCURRENCY === undefined ? undefined : Number(process.env.LAPOR_BENCH_CONCURRENCY);
// The baseline's writers: single-event appends as 16 request handlers would send them.
const BASELINE_WRITERS = 16;
const FIRE_GOAL = 10_000;
const SWEEPERS = Number(process.env.LAPOR_BENCH_SWEEPERS ?? 1);

const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
];
const tree = buildOrganisationTree(NODES);
const RECEIVED = '2025-03-03T01:00:00.000Z'; // Monday 09:00 WITA: every verification is due by Thursday night
// The other half, two weeks later: fired after the first half, the other way, in the same run.
const RECEIVED_LATER = '2025-03-17T01:00:00.000Z';

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (value: number): string => `${value.toFixed(2)} ms`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function submitMany(store: EventStore, count: number, receivedAt: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const index = next++;
        const complaintId = randomUUID();
        const events = complaintDecider.decide(
          {
            type: 'SubmitComplaint',
            data: {
              complaintId,
              trackingId: generateTrackingId((size) => randomBytes(size)),
              kind: 'pengaduan',
              channel: 'web',
              title: `Pengaduan ${index}`,
              description: 'Jalan rusak',
              occurredOn: null,
              location: null,
              attachments: [],
              addressedTo: tree.nodeRef('ntt'),
              reporter: null,
              reporterRef: `reporter-${index}`,
              anonymous: false,
              confidential: false,
              externalReference: null,
            },
            metadata: { now: receivedAt, actor: { role: 'reporter', id: `reporter-${index}`, nodeId: null } },
          },
          complaintDecider.initialState(),
        );
        await store.appendToStream(`complaint-${complaintId}`, toStoredEvents(events, { commandId: randomUUID() }), { expectedVersion: 'no_stream' });
      }
    }),
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function emptySweeps(sweeper: TimerSweeper, runs = 200): Promise<number[]> {
  const durations: number[] = [];
  for (let run = 0; run < runs + 10; run++) {
    const started = process.hrtime.bigint();
    const result = await sweeper.sweep();
    if (result.fired + result.stale + result.refused > 0) throw new Error('a sweep meant to find nothing due fired something');
    if (run >= 10) durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return durations.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const rows: Row[] = [];
  const checks: { target: string; value: string; met: boolean }[] = [];
  const database = await createBenchDatabase(SERVER, 'scheduler');
  // Appends share commits through the store's group commit: a few connections serve any concurrency.
  const pool = new Pool({ connectionString: database.url, max: 20 });
  const store = await createPostgresEventStore({ pool });
  const db: SqlRunner = createPgRunner(pool, { ownsPool: false });
  const calendar = loadCalendar();
  const clock = { now: new Date('2025-03-03T02:00:00.000Z') };
  try {
    await prepareAppliedPositions(db);
    await prepareSchedulerTables(db);
    const [{ server_version: version } = { server_version: '' }] = await db.query<{ server_version: string }>(`SHOW server_version`);

    // 1. planning: the planner following the log, each submission planning its verification breach
    await submitMany(store, PLANNED / 2, RECEIVED);
    await submitMany(store, PLANNED / 2, RECEIVED_LATER);
    const planner = createTimerPlanner({
      tree: () => tree,
      calendar: () => calendar,
      policy: () => ({ version: 0, configuration: DEFAULT_SLA_CONFIGURATION }),
    });
    const planning = await timed(async () => {
      const following = followEventLog(store, db, planner, { onError: (error) => console.error(error) });
      for (;;) {
        const [row] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM scheduler.timers`);
        if (Number(row!.n) >= PLANNED) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await following.close();
    });
    // baseline: the same number of one-row transactions straight into a bare table
    await db.exec(`CREATE TABLE bare_timers (key text PRIMARY KEY, due_at timestamptz NOT NULL)`);
    const raw = await timed(async () => {
      for (let index = 0; index < PLANNED; index++) {
        await db.transaction(async (tx) => {
          await tx.query(`INSERT INTO bare_timers (key, due_at) VALUES ($1, $2)`, [`t-${index}`, RECEIVED]);
        });
      }
    });
    const planRate = PLANNED / planning.seconds;
    rows.push({
      case: `plan timers from the event log (${PLANNED.toLocaleString('en-US')} submissions, one transaction each: fold, plan, upsert)`,
      figure: rate(planRate),
      ratio: ratio(planRate, PLANNED / raw.seconds),
    });
    rows.push({ case: 'baseline: one-row INSERT transactions, sequential', figure: rate(PLANNED / raw.seconds) });

    // 2. a sweep with nothing due, with few timers open and then with many
    const sweeper = new TimerSweeper({
      db,
      repository: new ComplaintRepository(store),
      calendar: () => calendar,
      now: () => clock.now,
      concurrency: CONCURRENCY,
    });
    const few = await emptySweeps(sweeper);
    rows.push({
      case: `sweep with nothing due, ${PLANNED.toLocaleString('en-US')} open timers`,
      figure: `p50 ${ms(percentile(few, 50))}, p99 ${ms(percentile(few, 99))}`,
    });
    const filled = await timed(() =>
      db.exec(`INSERT INTO scheduler.timers (key, complaint_id, kind, stage, clock_started_at, deadline_at, due_at, zone, planned_version, calendar_version, policy_version)
        SELECT 'filler-' || g, 'filler-' || g, 'breach', 'verification', t, t, t, 'Asia/Makassar', 0, 'bench', 0
        FROM generate_series(1, ${OPEN - PLANNED}) AS g, LATERAL (SELECT timestamptz '2030-01-01' + g * interval '1 second' AS t) AS due;
        ANALYZE scheduler.timers;`),
    );
    const many = await emptySweeps(sweeper);
    const rss = process.memoryUsage().rss;
    rows.push({
      case: `sweep with nothing due, ${OPEN.toLocaleString('en-US')} open timers (filled in ${filled.seconds.toFixed(1)} s)`,
      figure: `p50 ${ms(percentile(many, 50))}, p99 ${ms(percentile(many, 99))}`,
      ratio: `${(percentile(many, 50) / percentile(few, 50)).toFixed(2)}× the few`,
      target: 'p99 < 10 ms',
    });
    checks.push({
      target: `a sweep with nothing due, ${OPEN.toLocaleString('en-US')} open, p99 < 10 ms`,
      value: ms(percentile(many, 99)),
      met: percentile(many, 99) < 10,
    });

    // 3. firing: the clock moves past the first half's deadlines, which fire 16 complaints to a
    // commit (a claimed batch appended in statements of 16); then past the second half's, which
    // fire as the sweeper does by default (the whole claimed batch in one statement and one commit).
    const fireAll = async (concurrency: number | undefined): Promise<{ result: number; seconds: number }> => {
      // SWEEPERS instances at once, as several scheduler copies would run (each claims its own batches)
      const repository = new ComplaintRepository(store);
      const sweepers = Array.from(
        { length: SWEEPERS },
        () => new TimerSweeper({ db, repository, calendar: () => calendar, now: () => clock.now, ...(concurrency === undefined ? {} : { concurrency }) }),
      );
      return timed(async () => {
        let fired = 0;
        await Promise.all(
          sweepers.map(async (one) => {
            for (;;) {
              const result = await one.sweep();
              fired += result.fired;
              if (result.fired + result.stale + result.refused + result.failed === 0) return;
            }
          }),
        );
        return fired;
      });
    };
    clock.now = new Date('2025-03-10T01:00:00.000Z');
    const before = await fireAll(BASELINE_WRITERS);
    clock.now = new Date('2025-03-24T01:00:00.000Z');
    const firing = await fireAll(CONCURRENCY);
    const beforeRate = before.result / before.seconds;
    const fireRate = firing.result / firing.seconds;
    // baseline: single-event appends to fresh streams from 16 writers, sharing commits through group commit
    const sharing = await createPostgresEventStore({ pool, migrate: false, groupCommit: { maxInFlight: 2, maxAppends: 500, maxChars: 4_000_000 } });
    const appends = await timed(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: BASELINE_WRITERS }, async () => {
          while (next++ < PLANNED)
            await sharing.appendToStream(`bench-${randomUUID()}`, [{ id: randomUUID(), type: 'Appended', data: { at: RECEIVED } }], {
              expectedVersion: 'no_stream',
            });
        }),
      );
    });
    await sharing.close();
    const appendRate = PLANNED / appends.seconds;
    rows.push({
      case: `fire due timers (${firing.result.toLocaleString('en-US')} breaches: claim, decide, append, mark; ${OPEN.toLocaleString('en-US')} open)`,
      figure: rate(fireRate),
      ratio: ratio(fireRate, appendRate),
      target: `≥ ${FIRE_GOAL.toLocaleString('en-US')} /s`,
    });
    rows.push({ case: `baseline: single-event appends, ${BASELINE_WRITERS} at a time (sharing commits)`, figure: rate(appendRate) });
    rows.push({
      case: `the other half fired ${BASELINE_WRITERS} complaints to a commit (${before.result.toLocaleString('en-US')} breaches, claimed 500 at a time)`,
      figure: rate(beforeRate),
      ratio: `batched ${ratio(fireRate, beforeRate)} this`,
    });
    rows.push({ case: 'bench process memory (RSS) with the timers open', figure: mib(rss) });
    checks.push({ target: `fire ≥ ${FIRE_GOAL.toLocaleString('en-US')} timers/s`, value: rate(fireRate), met: fireRate >= FIRE_GOAL });

    const report = [
      '# Scheduler benchmark',
      '',
      `Produced by \`pnpm bench:scheduler\`: ${PLANNED.toLocaleString('en-US')} complaints submitted and planned through the planner, the timer table filled to ${OPEN.toLocaleString('en-US')} open timers, then the planned ones fired. One fresh database, dropped afterwards.`,
      '',
      machine(version, loadAtStart),
      '',
      table(rows),
      '',
      '## Targets',
      '',
      targets(checks),
      '',
    ].join('\n');
    console.log(report);
    await writeFile(join(__dirname, '..', '..', 'results', 'scheduler.md'), report);
  } finally {
    await store.close();
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
