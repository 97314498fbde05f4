// `pnpm bench:sms`: the SMS 1708 inbound webhook on PostgreSQL (verify the HMAC, claim the message
// id, read the grammar, seal the number, submit, queue the reply) next to the plain intake route
// (POST /complaints by a citizen with the same identity sealed), each in a service app of its own,
// in the same run at the same concurrency. The SMS server's notifier and outbox dispatcher run as in
// production, sending every acknowledgement to a fake provider here; how long the outbox takes to
// drain after the load is reported too, and, at 16 connections, the webhook alone (its notifier and
// dispatcher in another process). Writes results/sms.md. BENCH_SECONDS (default 6) per run, two
// runs of each case alternating with its baseline, the better one reported.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, type Row } from '../report';
import { BENCH_PROVIDER, BENCH_SECRET } from './constants';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/** Each case runs this many times, alternating with its baseline; the best run counts (the machine is shared). */
const ROUNDS = 2;
const CONNECTIONS = [1, 16];
const TEXT = 'Jalan rusak di depan SDN 3 Oebobo, berlubang sejak tiga bulan dan membahayakan anak sekolah';
const SUBMISSION = JSON.stringify({
  kind: 'pengaduan',
  channel: 'web',
  title: 'Jalan rusak di depan SDN 3 Oebobo',
  description: TEXT,
  addressedTo: 'nasional',
  reporter: { name: 'Warga Oebobo', phone: '+6281234567890' },
});

interface LoadResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
}

/** The provider the SMS server sends its replies to: counts what it takes, answers at once. */
async function fakeProvider() {
  const references = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { reference } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reference: string };
      references.set(reference, (references.get(reference) ?? 0) + 1);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`,
    references,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startServer(mode: 'intake' | 'sms' | 'sms-webhook', databaseUrl: string, outboundUrl?: string): Promise<{ url: string; child: ChildProcess }> {
  const args = ['--import', 'tsx', join(__dirname, 'server.ts'), mode, databaseUrl, ...(outboundUrl ? [outboundUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice('ready '.length));
    });
  });
  return { url, child };
}

const summarise = (result: autocannon.Result): LoadResult => ({
  perSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  ok: result['2xx'],
  failed: result.non2xx + result.errors,
});

const loadIntake = async (url: string, connections: number, seconds: number): Promise<LoadResult> =>
  summarise(
    await autocannon({
      url: `${url}/complaints`,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: SUBMISSION,
    }),
  );

let sequence = 0;
/** Each request a new SMS from its own number, signed as the provider signs. */
async function loadSms(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/channels/sms/inbound',
        setupRequest: (request) => {
          const n = sequence++;
          const body = JSON.stringify({ messageId: `bench-${process.pid}-${n}`, from: `0812${String(10_000_000 + n).slice(-8)}`, text: TEXT });
          const timestamp = Math.floor(Date.now() / 1000);
          const signature = `sha256=${createHmac('sha256', BENCH_SECRET).update(`${timestamp}.`).update(body).digest('hex')}`;
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-lapor-sms-provider': BENCH_PROVIDER,
              'x-lapor-sms-timestamp': String(timestamp),
              'x-lapor-sms-signature': signature,
            },
          };
        },
      },
    ],
  });
  return summarise(result);
}

/**
 * Until the outbox holds nothing pending: how long the replies to the load took to go out after it,
 * and how many messages were handled (answered or not by the time autocannon stopped) and sent.
 */
async function drain(databaseUrl: string): Promise<{ ms: number; handled: number; sent: number; pending: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ handled: string; pending: string; sent: string }>(
        `SELECT (SELECT count(*) FROM sms.inbound_messages WHERE state = 'done')::text AS handled,
                count(*) FILTER (WHERE status = 'pending')::text AS pending, count(*) FILTER (WHERE status = 'sent')::text AS sent
         FROM sms.outbox`,
      );
      const row = rows[0]!;
      if (Number(row.pending) === 0 || Date.now() - started > 60_000) {
        return { ms: Date.now() - started, handled: Number(row.handled), sent: Number(row.sent), pending: Number(row.pending) };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const provider = await fakeProvider();
  const intakeDb = await createBenchDatabase(SERVER, 'sms_intake');
  const smsDb = await createBenchDatabase(SERVER, 'sms');
  const webhookDb = await createBenchDatabase(SERVER, 'sms_webhook');
  const intake = await startServer('intake', intakeDb.url);
  const sms = await startServer('sms', smsDb.url, provider.url);
  const webhook = await startServer('sms-webhook', webhookDb.url);
  let drained = { ms: 0, handled: 0, sent: 0, pending: 0 };
  const latency = (r: LoadResult) => `p50 ${r.p50} ms, p99 ${r.p99} ms`;
  const failures = (r: LoadResult) => (r.failed > 0 ? `, ${r.failed} failed` : '');
  try {
    // warm-up: plans, pools, JIT
    await loadIntake(intake.url, 4, 2);
    await loadSms(sms.url, 4, 2);
    await loadSms(webhook.url, 4, 2);
    const best = (results: LoadResult[]): LoadResult => results.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    for (const connections of CONNECTIONS) {
      const baselines: LoadResult[] = [];
      const runs: LoadResult[] = [];
      const alones: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        baselines.push(await loadIntake(intake.url, connections, SECONDS));
        runs.push(await loadSms(sms.url, connections, SECONDS));
        if (connections === 16) alones.push(await loadSms(webhook.url, connections, SECONDS));
      }
      const baseline = best(baselines);
      const measured = best(runs);
      rows.push({
        case: `intake route POST /complaints, ${connections} connections`,
        figure: `${rate(baseline.perSecond)} (${latency(baseline)})${failures(baseline)}`,
      });
      rows.push({
        case: `SMS webhook POST /channels/sms/inbound, ${connections} connections`,
        figure: `${rate(measured.perSecond)} (${latency(measured)})${failures(measured)}`,
        ratio: `${ratio(measured.perSecond, baseline.perSecond)} intake`,
      });
      if (alones.length > 0) {
        const alone = best(alones);
        rows.push({
          case: `SMS webhook alone (notifier and dispatcher elsewhere), ${connections} connections`,
          figure: `${rate(alone.perSecond)} (${latency(alone)})${failures(alone)}`,
          ratio: `${ratio(alone.perSecond, baseline.perSecond)} intake`,
        });
      }
      for (const row of rows.slice(alones.length > 0 ? -3 : -2)) console.log(row.case, row.figure, row.ratio ?? '');
    }
    drained = await drain(smsDb.url);
  } finally {
    for (const server of [intake, sms, webhook]) server.child.kill();
    await provider.close();
    for (const database of [intakeDb, smsDb, webhookDb]) await database.drop();
  }
  const deliveries = [...provider.references.values()];
  const twice = deliveries.filter((count) => count > 1).length;
  const allOnce = deliveries.length === drained.handled && drained.sent === drained.handled && twice === 0 && drained.pending === 0;
  rows.push({
    case: 'SMS handled → acknowledgements the provider took',
    figure: `${drained.handled.toLocaleString('en-US')} → ${deliveries.length.toLocaleString('en-US')} (outbox drained ${(drained.ms / 1000).toFixed(1)} s after the load; ${drained.pending} pending, ${twice} sent twice)`,
    target: `every one, once: ${allOnce ? 'met' : 'NOT met'}`,
  });
  console.log(rows.at(-1)!.case, rows.at(-1)!.figure, rows.at(-1)!.target);

  const client = new Client({ connectionString: SERVER });
  await client.connect();
  const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  const report = [
    '# SMS 1708 benchmark',
    '',
    'Produced by `pnpm bench:sms`: autocannon posts SMS to the signed webhook of the SMS service (a service app on PostgreSQL:',
    'verify the HMAC, claim the message id, read the grammar, seal the number in the vault, submit the complaint, queue the',
    'acknowledgement in the outbox), each request a new message from its own number, next to the plain intake route',
    '(`POST /complaints` by a citizen with a name and phone sealed, in a service app of its own), at the same concurrency,',
    `${SECONDS} s a run, ${ROUNDS} runs of each case alternating with its baseline, the better run shown. The SMS server also runs its notifier (following the event log) and its outbox dispatcher, which`,
    'sends every acknowledgement to a fake provider in the bench process, as in production; the "alone" row is the',
    'webhook with its notifier and dispatcher in another process. The last row checks that every message handled got',
    'its acknowledgement through the outbox, once.',
    '',
    'Reading: per SMS the webhook runs six statements where the intake route runs four (the same three to seal the',
    'identity and one append, plus claiming the message id and, in one statement, recording the answer with the reply',
    'queued); in the same process the notifier applies each event once (a consumer-kit transaction) and the dispatcher',
    'claims a batch, opens each number from the vault, sends it over HTTP and marks the batch sent. Figures move with',
    'the load on the machine (shared, 2 cores); the ratios, measured back to back, less so.',
    '',
    machine(version),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'sms.md'), report);
  console.log('\nwritten to packages/bench/results/sms.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
