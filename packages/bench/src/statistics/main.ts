// `pnpm bench:statistics`: rebuilding the statistics read model from a log of LAPOR_BENCH_COMPLAINTS
// complaints (default 1,000,000, about 8 events each) over 700 units, held against a plain read of
// the same log in the same run; then the recap queries' latency on the rebuilt tables. Writes
// results/statistics.md.
import { loadCalendar } from '@lapor/calendar';
import { prepareAppliedPositions } from '@lapor/consumer-kit';
import { createPostgresEventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import {
  prepareStatisticsTables,
  queryUnitRecap,
  queryUnitRecapByIntervals,
  rebuildStatistics,
  type RebuildProgress,
  type RebuildResult,
} from '@lapor/statistics';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, targets, type Row } from '../report';
import { cpuBetween, cpuNow, formatCpu, poolBackends, type CpuSeconds } from './cpu';
import { fillComplaints, WRITERS } from './fill';
import { formatLatency, measureLatency, type Latency } from './latency';
import { layOutInEventTime } from './layout';
import { gib, watchMemory } from './memory';
import { benchOrganisation } from './organisation';
import { profiled } from './profile';
import { cursorScan, globalLogScan } from './scans';
import { timeStatements } from './timed-runner';
import { WorkingTime } from './working-time';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COMPLAINTS = Number(process.env.LAPOR_BENCH_COMPLAINTS ?? 1_000_000);
const SEED = 20_250_101;
// rebuildStatistics' own page size: the scan it is held against reads the same pages
const PAGE_SIZE = 10_000;
const QUERIES = 200;
const POOL_SIZE = 4;
const AS_OF_BUDGET_MS = 60_000;
const REBUILD_VS_SCAN = 0.5;
const RECAP_P99_MS = 50;
/** The recap as of a past moment (issue 19): from the summed changes, not every interval of the period. */
const AS_OF_P99_MS = 200;
// received on local dates of 2025 and 2026 in every zone: from 00:00 WIB on 1 January 2025 until midnight WIT at the end of 2026
const START = Date.parse('2025-01-01T00:00:00+07:00');
const HORIZON = Date.parse('2027-01-01T00:00:00+09:00');

const count = (n: number): string => n.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Statements one by one on a connection of their own (VACUUM refuses a multi-statement string); the last one's rows. */
async function sql(url: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) rows = (await client.query(statement)).rows as Record<string, unknown>[];
    return rows;
  } finally {
    await client.end();
  }
}

/** Which rebuild was measured: the package is worked on, so the commit alone may not say. */
async function statisticsFingerprint(): Promise<string> {
  const dir = join(__dirname, '..', '..', '..', 'statistics', 'src');
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.ts')).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(join(dir, file)));
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout: the hash alone
  }
  return `packages/statistics/src sha256 ${hash.digest('hex').slice(0, 12)} (${files.length} files; HEAD ${commit}, working tree as it was)`;
}

/** Prints every tenth of the reading and each new phase, and notes the CPU used up to each phase change. */
function progressPrinter(label: string, onPhase: (phase: RebuildProgress['phase']) => void): (progress: RebuildProgress) => void {
  let shown = -1;
  let phase = '';
  return (progress) => {
    if (progress.phase !== phase) onPhase(progress.phase);
    const tenth = progress.expected > 0 ? Math.floor((progress.events / progress.expected) * 10) : 0;
    if (progress.phase === phase && tenth === shown) return;
    [phase, shown] = [progress.phase, tenth];
    console.log(`  ${label}: ${progress.phase}, ${count(progress.events)} / ${count(progress.expected)} events`);
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const goals: { target: string; value: string; met: boolean }[] = [];
  const say = (row: Row): void => {
    rows.push(row);
    console.log([row.case, row.figure, row.ratio, row.target].filter(Boolean).join('  '));
  };
  const judge = (target: string, met: boolean, shown: string): string => {
    goals.push({ target, value: shown, met });
    return met ? 'met' : 'NOT met';
  };

  const fingerprint = await statisticsFingerprint();
  const org = benchOrganisation();
  const calendar = loadCalendar();
  const chronology = { org, time: new WorkingTime(calendar, '2024-12-01', '2026-12-31'), seed: SEED, start: START, horizon: HORIZON };
  const database = await createBenchDatabase(SERVER, 'statistics');
  const version = String((await sql(database.url, `SELECT current_setting('server_version') AS v`))[0]!.v);
  console.log(
    `bench database ${new URL(database.url).pathname.slice(1)}; ${count(COMPLAINTS)} complaints over ${org.units} units in ${org.instansi.length} instansi\n`,
  );
  const pool = new Pool({ connectionString: database.url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined);
  let report: { events: number; tableSize: string; generation: string } | undefined;
  try {
    // 1. the data: not the benchmark, timed apart
    const filled = await fillComplaints(database.url, COMPLAINTS, chronology, (done, events) =>
      console.log(`  generated and appended ${count(done)} complaints, ${count(events)} events`),
    );
    const layoutSeconds = await layOutInEventTime(database.url);
    console.log(`  laid the log out in event time: ${seconds(layoutSeconds * 1000)}`);
    const vacuumStarted = performance.now();
    await sql(database.url, `SET maintenance_work_mem = '1GB'`, `VACUUM (ANALYZE) eventstore.events`);
    const vacuumMs = performance.now() - vacuumStarted;
    const [size] = await sql(
      database.url,
      `SELECT pg_size_pretty(pg_table_size('eventstore.events')) AS heap, pg_size_pretty(pg_indexes_size('eventstore.events')) AS indexes`,
    );
    report = {
      events: filled.events,
      tableSize: `${String(size!.heap)} table, ${String(size!.indexes)} indexes`,
      generation: `${seconds(filled.seconds * 1000)}, laid out in event time ${seconds(layoutSeconds * 1000)}, VACUUM ANALYZE ${seconds(vacuumMs)}`,
    };
    say({
      case: `generate (decider) and append ${count(filled.complaints)} complaints, ${count(filled.events)} events, ${WRITERS} writers, one append per complaint (not measured against anything)`,
      figure: `${seconds(filled.seconds * 1000)} (${rate(filled.events / filled.seconds)} events); laid out in event time ${seconds(layoutSeconds * 1000)}; VACUUM ANALYZE ${seconds(vacuumMs)}`,
    });

    const store = await createPostgresEventStore({ pool });
    const db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    const backends = await poolBackends(pool, POOL_SIZE);

    // 2. the baselines: the same events read and dropped. The global log scan runs before and after
    // the rebuild and the faster one counts, so load that comes and goes on a shared machine
    // cannot flatter the ratio.
    const scanCpu = cpuNow(backends);
    const scanBefore = await globalLogScan(store, PAGE_SIZE);
    const scanUsed = cpuBetween(scanCpu, cpuNow(backends));
    const cursor = await cursorScan(database.url, PAGE_SIZE);

    // 3. the rebuild, every statement it sends timed on the way
    const memory = watchMemory();
    const before = process.memoryUsage();
    const statements = timeStatements(db);
    const cpuAt: Partial<Record<RebuildProgress['phase'] | 'start' | 'end', CpuSeconds>> = { start: cpuNow(backends) };
    const onProgress = progressPrinter('rebuild', (phase) => (cpuAt[phase] = cpuNow(backends)));
    const result: RebuildResult = await profiled(process.env.LAPOR_BENCH_CPU_PROFILE, () =>
      rebuildStatistics({ store, db: statements.runner, tree: org.tree, calendar, expectedEvents: filled.events, onProgress }),
    );
    cpuAt.end = cpuNow(backends);
    const peak = await memory.stop();
    const cpuOf = (from: keyof typeof cpuAt, to: keyof typeof cpuAt): string => formatCpu(cpuBetween(cpuAt[from]!, cpuAt[to]!));
    const scanAfter = await globalLogScan(store, PAGE_SIZE);
    const scan = Math.max(scanBefore.perSecond, scanAfter.perSecond);

    say({
      case: `baseline: readGlobalLog, pages of ${count(PAGE_SIZE)}, events dropped (${count(scanBefore.operations)} events), the faster of two scans`,
      figure: rate(scan),
      ratio: `before ${rate(scanBefore.perSecond)} (CPU ${formatCpu(scanUsed)}), after ${rate(scanAfter.perSecond)}`,
    });
    say({
      case: `plain cursor scan, SELECT … FROM eventstore.events, FETCH ${count(PAGE_SIZE)}`,
      figure: rate(cursor.perSecond),
      ratio: `baseline ${ratio(scan, cursor.perSecond)} cursor`,
    });
    const totalMs = result.readMs + result.writeMs + result.swapMs;
    const rebuildRate = result.events / (totalMs / 1000);
    const shown = ratio(rebuildRate, scan);
    say({
      case: `rebuildStatistics: ${count(result.events)} events, ${count(result.complaints)} complaints, ${count(result.rows)} rows written`,
      figure: `${rate(rebuildRate)} (${seconds(totalMs)}; CPU ${cpuOf('start', 'end')})`,
      ratio: `${shown} baseline`,
      target: `≥ ${REBUILD_VS_SCAN.toFixed(2)}× baseline: ${judge(`rebuild ≥ ${REBUILD_VS_SCAN}× the readGlobalLog scan`, rebuildRate / scan >= REBUILD_VS_SCAN, shown)}`,
    });
    const readRate = (result.events - result.caughtUp) / (result.readMs / 1000);
    say({
      case: '… read complaint by complaint, fold, and load the rows (readMs)',
      figure: `${seconds(result.readMs)} (${rate(readRate)}; CPU ${cpuOf('start', 'writing')})`,
      ratio: `${ratio(readRate, scan)} baseline`,
    });
    say({
      case: '… the last rows, then keys and indexes (writeMs)',
      figure: `${seconds(result.writeMs)} (${rate(result.rows / (result.writeMs / 1000))} rows; CPU ${cpuOf('writing', 'swapping')})`,
    });
    say({ case: `… catch up (${count(result.caughtUp)} events) and swap (swapMs)`, figure: `${seconds(result.swapMs)} (CPU ${cpuOf('swapping', 'end')})` });
    const waits = statements.totals();
    const busy = statements.busyMs();
    say({
      case: '… of the whole rebuild, with a statement of its writes outstanding (the log reads not counted); per target, summed and overlapping (calls)',
      figure: `${seconds(busy)} of ${seconds(totalMs)}`,
      ratio: [
        ...waits.slice(0, 6).map((wait) => `${wait.label} ${seconds(wait.ms)} (${count(wait.calls)})`),
        `others ${seconds(waits.slice(6).reduce((sum, wait) => sum + wait.ms, 0))}`,
      ].join('; '),
    });
    say({
      case: 'peak memory during the rebuild (sampled every 100 ms)',
      figure: `RSS ${gib(peak.rssBytes)}, heap used ${gib(peak.heapUsedBytes)}; GC ${seconds(peak.gcMs)}`,
      ratio: `before: RSS ${gib(before.rss)}, heap ${gib(before.heapUsed)}`,
    });

    // 4. the recap as dashboards ask for it
    const whole2025 = { from: '2025-01-01', to: '2025-12-31' };
    const everything = await queryUnitRecap(db, org.tree, { nodeId: 'nasional', period: { from: '2025-01-01', to: '2026-12-31' } });
    const all = everything.total;
    const counted = all.total + all.tunda + all.arsip;
    console.log(
      `recap over 2025–2026 at the root counts ${count(counted)} complaints (${counted === COMPLAINTS ? 'all of them' : `expected ${count(COMPLAINTS)}`})`,
    );
    const biggest = [...everything.below].sort((a, b) => b.total - a.total)[0]!;
    const cases: { label: string; run: () => Promise<unknown>; judged: boolean; budgetMs?: number }[] = [
      { label: '(a) nasional, 2025', run: () => queryUnitRecap(db, org.tree, { nodeId: 'nasional', period: whole2025 }), judged: true },
      {
        label: `(b) ${biggest.nodeId} (${biggest.name}), 2025`,
        run: () => queryUnitRecap(db, org.tree, { nodeId: biggest.nodeId, period: whole2025 }),
        judged: true,
      },
      {
        label: `(c) ${biggest.nodeId}, 2025-02-13 to 2025-11-20`,
        run: () => queryUnitRecap(db, org.tree, { nodeId: biggest.nodeId, period: { from: '2025-02-13', to: '2025-11-20' } }),
        judged: true,
      },
    ];
    // as of a month's first midnight (WIB) only summed months are read; on a month's last evening,
    // also two dekads, nine days and that day's intervals: the most of them a moment can need
    const asOfCases = [
      { label: '(d) nasional, 2025, asOf 2025-09-30T17:00Z (2025-10-01 00:00 WIB)', asOf: new Date('2025-09-30T17:00:00Z') },
      { label: '(e) nasional, 2025, asOf 2025-09-30T12:00Z (19:00 WIB on the 30th)', asOf: new Date('2025-09-30T12:00:00Z') },
    ];
    const recapRow = (label: string, latency: Latency, judged: boolean, ratio?: string): void =>
      say({
        case: `recap ${label}`,
        figure: formatLatency(latency),
        ...(ratio ? { ratio } : {}),
        target: judged
          ? `p99 < ${RECAP_P99_MS} ms: ${judge(`recap ${label} p99 < ${RECAP_P99_MS} ms`, latency.p99 < RECAP_P99_MS, `${latency.p99.toFixed(1)} ms`)}`
          : undefined,
      });
    for (const { label, run, judged } of cases) recapRow(`${label}, straight after the swap`, await measureLatency(run, QUERIES), judged);
    await db.exec(`ANALYZE statistics.recap_daily, statistics.recap_monthly, statistics.recap_facts, statistics.recap_changes`);
    for (const { label, run, judged } of cases) recapRow(`${label}, after an explicit ANALYZE`, await measureLatency(run, QUERIES), judged);
    for (const { label, asOf } of asOfCases) {
      const query = { nodeId: 'nasional', period: whole2025, asOf };
      const summed = await queryUnitRecap(db, org.tree, query);
      const scanned = await queryUnitRecapByIntervals(db, org.tree, query);
      const same = JSON.stringify(summed) === JSON.stringify(scanned);
      const baseline = await measureLatency(() => queryUnitRecapByIntervals(db, org.tree, query), QUERIES, AS_OF_BUDGET_MS, 1);
      say({ case: `recap ${label}, baseline: the scan of every interval valid then`, figure: formatLatency(baseline) });
      const latency = await measureLatency(() => queryUnitRecap(db, org.tree, query), QUERIES);
      say({
        case: `recap ${label}, from the summed changes (${same ? 'the same recap as the scan' : 'NOT the same recap as the scan'})`,
        figure: formatLatency(latency),
        ratio: `p99 ${ratio(baseline.p99, latency.p99)} faster than the scan`,
        target: `p99 < ${AS_OF_P99_MS} ms: ${judge(`recap ${label} p99 < ${AS_OF_P99_MS} ms`, latency.p99 < AS_OF_P99_MS && same, `${latency.p99.toFixed(1)} ms${same ? '' : ', answers differ'}`)}`,
      });
    }
    await store.close();
  } finally {
    await pool.end();
    await database.drop();
  }

  const text = [
    '# Statistics rebuild benchmark',
    '',
    `Produced by \`pnpm bench:statistics\` (LAPOR_BENCH_COMPLAINTS=${COMPLAINTS}): ${count(COMPLAINTS)} complaints received over 2025–2026, ` +
      `${count(report?.events ?? 0)} events, written through the complaint decider and appended one complaint (stream) per append by ${WRITERS} writers, ` +
      "then the table rewritten in the order the events happened (as day-by-day traffic lays it out: a complaint's events spread among everyone else's); " +
      `an organisation of nasional → ${org.instansi.length} instansi (WIB, WITA, WIT) → ${org.units} units. One fresh database, dropped afterwards.`,
    `The rebuild is held against reading the same log with \`readGlobalLog\` in pages of ${count(PAGE_SIZE)} (the rebuild's page size), in the same run.`,
    `Recap latencies: ${QUERIES} sequential queries a case after 5 warm-ups; the scans of every interval (the asOf baseline) for at most ${AS_OF_BUDGET_MS / 1000} s.`,
    '',
    machine(version),
    `- complaints: ${count(COMPLAINTS)}; events: ${count(report?.events ?? 0)}; eventstore.events: ${report?.tableSize ?? '?'}`,
    `- data generation (not measured against anything): ${report?.generation ?? '?'}`,
    `- rebuild measured: ${fingerprint}; the bench's pool: 4 connections, shared by the store and the rebuild's writes`,
    '',
    table(rows),
    '',
    '## Targets',
    '',
    targets(goals),
    '',
  ].join('\n');
  // the committed figures are the million's; a smaller run keeps its own file beside them
  const results = COMPLAINTS === 1_000_000 ? 'statistics.md' : `statistics-${COMPLAINTS / 1000}k.md`;
  await writeFile(join(__dirname, '..', '..', 'results', results), text);
  console.log(`\n${targets(goals)}\n\nwritten to packages/bench/results/${results}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
