// `pnpm bench`: the event store against raw PostgreSQL and Emmett, in one run on one server.
// Prints a table and writes it to results/latest.md with the machine it ran on.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { oursAppends, rawInserts } from './cases/appends';
import { emmettAppends, streamReads } from './cases/emmett';
import { oursGlobalLogRead, rawKeysetScan } from './cases/global-log';
import { createBenchDatabase } from './database';
import { machine, rate, ratio, table, type Row } from './report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WRITERS = [1, 4, 16];

const met = (value: number, target: number): string => (value >= target ? 'met' : 'NOT met');

async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await client.end();
  return rows[0]!.v;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const say = (row: Row): void => {
    rows.push(row);
    console.log([row.case, row.figure, row.ratio, row.target].filter(Boolean).join('  '));
  };
  const ms = SECONDS * 1000;

  const ours = await createBenchDatabase(SERVER, 'ours');
  const peer = await createBenchDatabase(SERVER, 'emmett');
  try {
    for (const writers of WRITERS) {
      const raw = await rawInserts(ours.url, writers, ms);
      const single = await oursAppends(ours.url, writers, 1, ms);
      const batch = await oursAppends(ours.url, writers, 10, ms);
      const emmett = await emmettAppends(peer.url, writers, ms);
      const target = writers === 1 ? undefined : `≥ 0.70× raw: ${met(single.perSecond / raw.perSecond, 0.7)}`;
      say({ case: `raw INSERT; COMMIT, ${writers} writers`, figure: rate(raw.perSecond) });
      say({ case: `ours, single-event appends, ${writers} writers`, figure: rate(single.perSecond), ratio: `${ratio(single.perSecond, raw.perSecond)} raw`, target });
      say({ case: `ours, 10-event batches, ${writers} writers (events)`, figure: rate(batch.perSecond), ratio: `${ratio(batch.perSecond, raw.perSecond)} raw` });
      say({ case: `Emmett 0.42, single-event appends, ${writers} writers`, figure: rate(emmett.perSecond), ratio: `ours ${ratio(single.perSecond, emmett.perSecond)} Emmett` });
    }

    await rawKeysetScan(ours.url, 1_000); // warm-up: both reads then find the table in cache
    for (const pageSize of [1_000, 5_000]) {
      const scan = await rawKeysetScan(ours.url, pageSize);
      const read = await oursGlobalLogRead(ours.url, pageSize);
      say({ case: `raw keyset scan, pages of ${pageSize} (${scan.operations.toLocaleString('en-US')} events)`, figure: rate(scan.perSecond) });
      say({
        case: `ours, global log read, pages of ${pageSize}`,
        figure: rate(read.perSecond),
        ratio: `${ratio(read.perSecond, scan.perSecond)} raw`,
        target: `≥ 150,000 /s: ${met(read.perSecond, 150_000)}`,
      });
    }

    const reads = await streamReads(peer.url, 1_000, 50);
    say({ case: 'Emmett 0.42, read a 1,000-event stream (events)', figure: rate(reads.emmett.perSecond) });
    say({ case: 'ours, read a 1,000-event stream (events)', figure: rate(reads.ours.perSecond), ratio: `${ratio(reads.ours.perSecond, reads.emmett.perSecond)} Emmett` });
  } finally {
    await ours.drop();
    await peer.drop();
  }

  const report = [
    '# Event store benchmark',
    '',
    `Produced by \`pnpm bench\` (${SECONDS} s per append case, after a warm-up; each writer its own streams, a pool as large as the writers).`,
    '',
    machine(await postgresVersion()),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', 'results', 'latest.md'), report);
  console.log(`\nwritten to packages/bench/results/latest.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
