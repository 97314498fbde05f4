// `pnpm --filter @lapor/bench bench:intake`: complaints submitted through the gateway on PostgreSQL,
// next to a bare Fastify route doing one raw INSERT per request, in the same run, at 1, 16 and 64
// connections. Appends the table to results/intake.md.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, type Row } from '../report';
import { caughtUp, load, startServer, startTraceSink } from './run';
import { cpus, loadavg } from 'node:os';
import { BENCH_PASSWORD } from './constants';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SUBMISSION = JSON.stringify({
  kind: 'pengaduan',
  channel: 'letter',
  title: 'Jalan rusak di depan sekolah',
  description: 'Jalan berlubang sejak tiga bulan, membahayakan anak-anak yang berangkat ke sekolah.',
  addressedTo: 'pemprov-ntt',
});

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const rows: Row[] = [];
  const ours = await createBenchDatabase(SERVER);
  const raw = await createBenchDatabase(SERVER);
  const gateway = await startServer('gateway', ours.url);
  const bare = await startServer('bare', raw.url);
  try {
    const signIn = await fetch(`${gateway.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin-ntt', password: BENCH_PASSWORD }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const staff = { authorization: `Bearer ${accessToken}` };
    // warm-up: plans, pools, JIT
    await load(gateway.url, 4, 2, staff, SUBMISSION);
    await load(bare.url, 4, 2, {}, SUBMISSION);

    for (const connections of [1, 16, 64]) {
      await caughtUp(gateway.url);
      const bareCpu = machineCpu();
      const baseline = await load(bare.url, connections, SECONDS, {}, SUBMISSION);
      const bareBusy = bareCpu();
      const gatewayCpu = machineCpu();
      const measured = await load(gateway.url, connections, SECONDS, staff, SUBMISSION);
      const gatewayBusy = gatewayCpu();
      // the seven read sides apply the burst in the same process: how long until they have it all
      const burstEnded = Date.now();
      await caughtUp(gateway.url);
      const catchUpMs = Date.now() - burstEnded;
      const latency = (r: typeof measured) => `p50 ${r.p50} ms, p99 ${r.p99} ms`;
      rows.push({
        case: `bare route, one INSERT, ${connections} connections`,
        figure: `${rate(baseline.perSecond)} (${latency(baseline)}); machine ${bareBusy} busy`,
      });
      rows.push({
        case: `gateway intake, ${connections} connections`,
        figure: `${rate(measured.perSecond)} (${latency(measured)})${measured.non2xx + measured.errors > 0 ? `, ${measured.non2xx + measured.errors} failed` : ''}; machine ${gatewayBusy} busy`,
        ratio: `${ratio(measured.perSecond, baseline.perSecond)} bare`,
        target:
          connections === 16
            ? `≥ 0.80×: ${measured.perSecond / baseline.perSecond >= 0.8 ? 'met' : 'NOT met'}; p99 < 50 ms: ${measured.p99 < 50 ? 'met' : 'NOT met'}`
            : undefined,
      });
      const submitted = measured.perSecond * SECONDS;
      rows.push({
        case: `… the read sides (same process) after the ${connections}-connection burst`,
        figure: `caught up ${(catchUpMs / 1000).toFixed(1)} s after it: ${rate(submitted / (SECONDS + catchUpMs / 1000))} sustained (submissions over burst + catch-up)`,
      });
      for (const row of rows.slice(-3)) console.log(row.case, row.figure, row.ratio ?? '', row.target ?? '');
    }
    rows.push(await tracingOverhead(gateway.url, staff));
  } finally {
    gateway.child.kill();
    bare.child.kill();
    await ours.drop();
    await raw.drop();
  }
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  const report = [
    '# Intake benchmark',
    '',
    `Produced by \`pnpm bench:intake\`: autocannon POSTs a letter typed in by an admin (JWT) to the gateway on PostgreSQL`,
    `(validate, decide, append with expected version, answer), next to a bare Fastify route that does one INSERT; ${SECONDS} s a case.`,
    `"machine … busy": all cores, from /proc/stat, while the case ran (the server, PostgreSQL and autocannon share them; the seven read sides run in the gateway's process).`,
    '',
    machine(version, loadAtStart),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'intake.md'), report);
  console.log('\nwritten to packages/bench/results/intake.md');
}

/**
 * How busy all of the machine's cores were from now until the returned function is called: a ratio
 * measured with the cores saturated (server, database and load generator share them) says less about
 * either route than one measured with cores to spare.
 */
function machineCpu(): () => string {
  const read = () =>
    cpus().reduce((sum, { times }) => ({ idle: sum.idle + times.idle, all: sum.all + times.user + times.nice + times.sys + times.irq + times.idle }), {
      idle: 0,
      all: 0,
    });
  const before = read();
  return () => {
    const after = read();
    const busy = 1 - (after.idle - before.idle) / Math.max(1, after.all - before.all);
    return `${Math.round(busy * 100)} %`;
  };
}

/**
 * The cost of observability: the gateway with traces exported (OTLP/HTTP to a sink in this process)
 * against the one above without, back to back at 16 connections. Metrics are on in both: every
 * process serves /metrics, so the "off" gateway already pays for them.
 */
async function tracingOverhead(untracedUrl: string, staff: Record<string, string>): Promise<Row> {
  const sink = await startTraceSink();
  const database = await createBenchDatabase(SERVER);
  const traced = await startServer('gateway', database.url, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
  try {
    const signIn = await fetch(`${traced.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin-ntt', password: BENCH_PASSWORD }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    await load(traced.url, 4, 2, { authorization: `Bearer ${accessToken}` }, SUBMISSION);
    // each measured with neither gateway still applying what an earlier case appended
    await Promise.all([caughtUp(untracedUrl), caughtUp(traced.url)]);
    const off = await load(untracedUrl, 16, SECONDS, staff, SUBMISSION);
    await Promise.all([caughtUp(untracedUrl), caughtUp(traced.url)]);
    const on = await load(traced.url, 16, SECONDS, { authorization: `Bearer ${accessToken}` }, SUBMISSION);
    const row: Row = {
      case: 'gateway intake, metrics and traces exported, 16 connections',
      figure: `${rate(on.perSecond)} (p50 ${on.p50} ms, p99 ${on.p99} ms) vs ${rate(off.perSecond)} untraced`,
      ratio: `${ratio(on.perSecond, off.perSecond)} untraced`,
      target: `≥ 0.90×: ${on.perSecond / off.perSecond >= 0.9 ? 'met' : 'NOT met'}`,
    };
    console.log(
      row.case,
      row.figure,
      row.ratio,
      row.target,
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`,
    );
    return row;
  } finally {
    traced.child.kill();
    await database.drop();
    await sink.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
