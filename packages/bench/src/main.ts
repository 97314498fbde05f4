// `pnpm bench`: the event store against raw PostgreSQL and Emmett, in one run on one server.
// Prints a table and writes it to results/latest.md with the machine it ran on.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { oursAppends, rawInserts } from './cases/appends';
import { emmettAppends, emmettStreamRead, loadEmmett } from './cases/emmett';
import { oursGlobalLogRead, prefill, rawKeysetScan } from './cases/global-log';
import { oursStreamRead } from './cases/stream-read';
import { createBenchDatabase } from './database';
import { compareInterleaved, type Throughput } from './measure';
import { machine, rate, ratio, table, targets, type Row } from './report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WRITERS = [1, 4, 16];
// Slices per append case, taking turns with the other contenders at the same writer count.
const ROUNDS = 5;
const PAGE_SIZES = [1_000, 5_000];
const PREFILL_EVENTS = 200_000;
const STREAM_EVENTS = 1_000;
const STREAM_READS = 50;
// Single-event appends against raw INSERT; COMMIT per event, by writers (issue 19): alone, no slower
// than a lone raw commit allows; with 16 writers, group commit past the one-commit-per-event floor.
const SINGLE_VS_RAW = new Map([
  [1, 0.8],
  [16, 1.5],
]);
const GLOBAL_LOG_RATE = 150_000;

interface Target {
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    return rows[0]?.version ?? 'unknown';
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const rows: Row[] = [];
  const goals: Target[] = [];
  const say = (row: Row): void => {
    rows.push(row);
    console.log([row.case, row.figure, row.ratio, row.target].filter(Boolean).join('  '));
  };
  const judge = (target: string, value: number, shown: string, threshold: number): string => {
    const met = value >= threshold;
    goals.push({ target, value: shown, met });
    return met ? 'met' : 'NOT met';
  };
  const ms = SECONDS * 1000;
  const db = await createBenchDatabase(SERVER);
  const version = await postgresVersion(db.url);
  console.log(`bench database ${new URL(db.url).pathname.slice(1)}; ${SECONDS} s per append case\n`);

  try {
    // Every read runs before Emmett is first loaded: its driver (dumbo) replaces the process-wide
    // `pg` parsers for int8 and jsonb (JSON.parse with a bigint reviver), which would slow every
    // later read of ours and of raw SQL in this process. Appends read back no jsonb: they take
    // turns with Emmett's, so that a busy machine skews all of them alike.
    await prefill(db.url, PREFILL_EVENTS);
    await rawKeysetScan(db.url, 1_000); // warm-up: both reads then find the table in cache
    for (const pageSize of PAGE_SIZES) {
      const scan = await rawKeysetScan(db.url, pageSize);
      const read = await oursGlobalLogRead(db.url, pageSize);
      say({ case: `raw keyset scan, pages of ${pageSize} (${scan.operations.toLocaleString('en-US')} events)`, figure: rate(scan.perSecond) });
      say({
        case: `ours, global log read, pages of ${pageSize}`,
        figure: rate(read.perSecond),
        ratio: `${ratio(read.perSecond, scan.perSecond)} raw`,
        target: `≥ 150,000 /s: ${judge(`global log read ≥ 150,000 events/s, pages of ${pageSize}`, read.perSecond, rate(read.perSecond), GLOBAL_LOG_RATE)}`,
      });
    }
    const oursRead = await oursStreamRead(db.url, STREAM_EVENTS, STREAM_READS);
    say({ case: `ours, read a ${STREAM_EVENTS.toLocaleString('en-US')}-event stream (events)`, figure: rate(oursRead.perSecond) });

    const emmett = await loadEmmett();
    if (emmett instanceof Error) {
      say({ case: 'Emmett 0.42: could not be loaded, no peer figures', figure: '', ratio: emmett.message.split('\n')[0] });
    }
    for (const writers of WRITERS) {
      const singles = await oursAppends(db.url, writers, 1);
      const workloads = [await rawInserts(db.url, writers), singles, await oursAppends(db.url, writers, 10)];
      if (!(emmett instanceof Error)) workloads.push(await emmettAppends(emmett, db.url, writers));
      let results: Throughput[];
      let sharing: number;
      try {
        results = await compareInterleaved(writers, workloads, ms, ROUNDS);
        sharing = await singles.eventsPerCommit();
      } finally {
        for (const workload of workloads) await workload.close();
      }
      const [raw, single, batch, peer] = results as [Throughput, Throughput, Throughput, Throughput | undefined];
      const singleRatio = single.perSecond / raw.perSecond;
      const goal = SINGLE_VS_RAW.get(writers);
      const target =
        goal === undefined
          ? undefined
          : `≥ ${goal.toFixed(2)}× raw: ${judge(`single-event appends ≥ ${goal}× raw at ${writers} writers`, singleRatio, `${singleRatio.toFixed(2)}×`, goal)}`;
      say({ case: `raw INSERT; COMMIT, ${writers} writers`, figure: rate(raw.perSecond) });
      say({
        case: `ours, single-event appends, ${writers} writers (group commit: ${sharing.toFixed(1)} appends per commit)`,
        figure: rate(single.perSecond),
        ratio: `${ratio(single.perSecond, raw.perSecond)} raw`,
        target,
      });
      say({
        case: `ours, 10-event batches, ${writers} writers (events)`,
        figure: rate(batch.perSecond),
        ratio: `${ratio(batch.perSecond, raw.perSecond)} raw`,
      });
      if (peer)
        say({
          case: `Emmett 0.42, single-event appends, ${writers} writers`,
          figure: rate(peer.perSecond),
          ratio: `ours ${ratio(single.perSecond, peer.perSecond)} Emmett`,
        });
    }
    if (!(emmett instanceof Error)) {
      const peerRead = await emmettStreamRead(emmett, db.url, STREAM_EVENTS, STREAM_READS);
      say({
        case: `Emmett 0.42, read a ${STREAM_EVENTS.toLocaleString('en-US')}-event stream (events)`,
        figure: rate(peerRead.perSecond),
        ratio: `ours ${ratio(oursRead.perSecond, peerRead.perSecond)} Emmett`,
      });
    }
  } finally {
    await db.drop();
  }

  const report = [
    '# Event store benchmark',
    '',
    `Produced by \`pnpm bench\` (${SECONDS} s per append case in ${ROUNDS} slices taking turns with the other cases at the same writer count, after a 1 s warm-up; each writer its own streams, a pool as large as the writers; ours with group commit on (DEFAULT_GROUP_COMMIT); one fresh database, dropped afterwards; reads on ${PREFILL_EVENTS.toLocaleString('en-US')} pre-filled events, before any append case).`,
    '',
    machine(version, loadAtStart),
    '',
    table(rows),
    '',
    '## Targets',
    '',
    targets(goals),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', 'results', 'latest.md'), report);
  console.log(`\n${targets(goals)}\n\nwritten to packages/bench/results/latest.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
