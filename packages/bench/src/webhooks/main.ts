// `pnpm bench:webhooks`: agency webhooks fanned out to 100 local receivers (node:http servers in a
// child process). A burst of complaint events through the whole path (the outbox following the event
// log, the dispatcher claiming, signing, posting and recording) next to raw signed POSTs of the same
// deliveries to the same receivers with no outbox at the same concurrency; then a steady stream, with
// the latency from the append's commit to a receiver's arrival. Writes results/webhooks.md.
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { buildOrganisationTree, complaintDecider, generateTrackingId, type ComplaintCommand, type OrganisationNode } from '@lapor/domain';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { toStoredEvents } from '@lapor/workflow';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
// by path: @lapor/webhooks is not a dependency of the bench package (packages/bench/package.json)
import {
  createWebhookEnqueuer,
  deliveryBody,
  DestinationPolicy,
  prepareWebhookTables,
  signDelivery,
  Subscriptions,
  WebhookDispatcher,
} from '../../../../services/webhooks/src';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, targets, type Row } from '../report';
import type { ReceiverMessage } from './receivers';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RECEIVERS = Number(process.env.LAPOR_BENCH_RECEIVERS ?? 100);
/** Complaints in the burst, each submitted and verified: two events, each to every receiver. */
const BURST_COMPLAINTS = Number(process.env.LAPOR_BENCH_WEBHOOK_COMPLAINTS ?? 100);
const STEADY_EVENTS_PER_SECOND = Number(process.env.LAPOR_BENCH_WEBHOOK_RATE ?? 10);
const STEADY_SECONDS = Number(process.env.LAPOR_BENCH_WEBHOOK_SECONDS ?? 15);
const LANES = Number(process.env.LAPOR_BENCH_WEBHOOK_LANES ?? 2);
const CONCURRENCY = Number(process.env.LAPOR_BENCH_WEBHOOK_CONCURRENCY ?? 32); // per lane
const BATCH = Number(process.env.LAPOR_BENCH_WEBHOOK_BATCH ?? 128);

const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
];
const tree = buildOrganisationTree(NODES);
const clock = (): number => performance.timeOrigin + performance.now();
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const cpuShare = (used: NodeJS.CpuUsage, wallMs: number): string => `${(((used.user + used.system) / 1000 / wallMs) * 100).toFixed(0)} %`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The receivers' child process, and a way to ask what arrived. */
async function startReceivers(): Promise<{
  urls: string[];
  report: () => Promise<Extract<ReceiverMessage, { arrivals: unknown }>>;
  reset: () => void;
  stop: () => void;
}> {
  const child: ChildProcess = fork(join(__dirname, 'receivers.ts'), [String(RECEIVERS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<string[]>((resolve, reject) => {
    child.once('message', (message: ReceiverMessage) => ('urls' in message ? resolve(message.urls) : reject(new Error('receivers did not start'))));
    child.once('exit', (code) => reject(new Error(`receivers exited with ${code}`)));
  });
  return {
    urls,
    report: () =>
      new Promise((resolve) => {
        child.once('message', (message: ReceiverMessage) => resolve(message as Extract<ReceiverMessage, { arrivals: unknown }>));
        child.send('report');
      }),
    reset: () => child.send('reset'),
    stop: () => child.send('exit'),
  };
}

/** Appends a complaint's submission (and, when asked, its verification); answers each event's id and commit time. */
async function appendComplaint(store: EventStore, index: number, verify: boolean): Promise<{ id: string; at: number }[]> {
  const complaintId = randomUUID();
  const now = new Date().toISOString();
  const submit: ComplaintCommand = {
    type: 'SubmitComplaint',
    data: {
      complaintId,
      trackingId: generateTrackingId((size) => randomBytes(size)),
      kind: 'pengaduan',
      channel: 'web',
      title: `Pengaduan ${index}`,
      description: 'Jalan berlubang di depan pasar',
      occurredOn: null,
      location: 'Kupang',
      attachments: [],
      addressedTo: tree.nodeRef('pemprov-ntt'),
      reporter: null,
      reporterRef: `reporter-${index}`,
      anonymous: false,
      confidential: false,
      externalReference: null,
    },
    metadata: { now, actor: { role: 'reporter', id: `reporter-${index}`, nodeId: null } },
  };
  const submitted = complaintDecider.decide(submit, complaintDecider.initialState());
  const stream = `complaint-${complaintId}`;
  const first = toStoredEvents(submitted, { commandId: randomUUID() });
  await store.appendToStream(stream, first, { expectedVersion: 'no_stream' });
  const appended = [{ id: first[0]!.id, at: clock() }];
  if (!verify) return appended;
  const state = submitted.reduce(complaintDecider.evolve, complaintDecider.initialState());
  const verified = complaintDecider.decide(
    {
      type: 'VerifyComplaint',
      data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null },
      metadata: { now, actor: { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'pemprov-ntt' } },
    },
    state,
  );
  const second = toStoredEvents(verified, { commandId: randomUUID() });
  await store.appendToStream(stream, second, { expectedVersion: 0n });
  return [...appended, { id: second[0]!.id, at: clock() }];
}

/** Waits until the receivers hold `expected` arrivals; answers them. */
async function arrivalsOnceAll(receivers: Awaited<ReturnType<typeof startReceivers>>, expected: number, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await receivers.report();
    if (report.requests >= expected) return report;
    if (Date.now() > deadline) throw new Error(`only ${report.requests} of ${expected} deliveries arrived`);
    await sleep(50);
  }
}

/** Append → arrival, for every delivery of these events; and the span from the first append to the last arrival. */
function latencies(appended: readonly { id: string; at: number }[], arrivals: Record<string, number[]>) {
  const samples: number[] = [];
  let last = 0;
  for (const { id, at } of appended) {
    for (const arrival of arrivals[id] ?? []) {
      samples.push(arrival - at);
      last = Math.max(last, arrival);
    }
  }
  samples.sort((a, b) => a - b);
  const first = Math.min(...appended.map((event) => event.at));
  return { samples, seconds: (last - first) / 1000 };
}

/** The limit without an outbox: the same deliveries, signed, POSTed with fetch at the same concurrency. */
async function rawPosts(urls: readonly string[], events: number): Promise<number> {
  const secret = 'whsec_raw-baseline';
  const jobs: { url: string; body: string; id: string }[] = [];
  for (let event = 0; event < events; event++) {
    const id = randomUUID();
    const body = deliveryBody(
      {
        id,
        type: 'ComplaintSubmitted',
        occurredAt: new Date().toISOString(),
        complaintId: randomUUID(),
        trackingId: 'LAP-7KQ2M9XH4D',
        data: { title: 'Jalan rusak', description: 'Jalan berlubang di depan pasar' },
      },
      false,
    );
    for (const url of urls) jobs.push({ url, body, id });
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LANES * CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await fetch(job.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-lapor-event-id': job.id,
            'x-lapor-timestamp': String(timestamp),
            'x-lapor-signature': signDelivery(secret, timestamp, job.body),
          },
          body: job.body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.status !== 204) throw new Error(`raw POST answered ${response.status}`);
      }
    }),
  );
  return jobs.length / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const checks: { target: string; value: string; met: boolean }[] = [];
  const database = await createBenchDatabase(SERVER, 'webhooks');
  const pool = new Pool({ connectionString: database.url, max: 16 });
  const store = await createPostgresEventStore({ pool });
  const db: SqlRunner = createPgRunner(pool, { ownsPool: false });
  const receivers = await startReceivers();
  const started = Date.now();
  try {
    await prepareAppliedPositions(db);
    await prepareWebhookTables(db);
    const [{ server_version: version } = { server_version: '' }] = await db.query<{ server_version: string }>(`SHOW server_version`);
    const subscriptions = new Subscriptions(db);
    for (const url of receivers.urls) {
      await subscriptions.create({ id: randomUUID(), nodeId: 'pemprov-ntt', url, eventTypes: ['*'], description: 'bench receiver', createdBy: 'bench' });
    }
    const following = followEventLog(store, db, createWebhookEnqueuer({ tree: () => tree }), { onError: (error) => console.error('outbox', error) });
    const dispatcher = new WebhookDispatcher({
      db,
      now: () => new Date(),
      lanes: LANES,
      concurrency: CONCURRENCY,
      batchSize: BATCH,
      // the bench's receivers are child processes on this machine
      destinations: new DestinationPolicy(['127.0.0.1/32']),
      log: { info: () => undefined, warn: (o, m) => console.warn(m), error: (o, m) => console.error(m, o) },
    });
    dispatcher.start(1_000);

    // warm-up: connections to every receiver, plans in the pool
    await appendComplaint(store, -1, false);
    await arrivalsOnceAll(receivers, RECEIVERS);
    receivers.reset();

    // 1. burst: every event appended as fast as one writer can, then drained
    const burst: { id: string; at: number }[] = [];
    const burstCpu = process.cpuUsage();
    const burstWall = performance.now();
    for (let index = 0; index < BURST_COMPLAINTS; index++) burst.push(...(await appendComplaint(store, index, true)));
    const burstDeliveries = burst.length * RECEIVERS;
    const burstArrivals = await arrivalsOnceAll(receivers, burstDeliveries);
    const burstStats = latencies(burst, burstArrivals.arrivals);
    const burstRate = burstDeliveries / burstStats.seconds;
    const burstCpuShare = cpuShare(process.cpuUsage(burstCpu), performance.now() - burstWall);
    receivers.reset();

    // 2. the same number of deliveries, raw
    const rawCpu = process.cpuUsage();
    const rawWall = performance.now();
    const rawRate = await rawPosts(receivers.urls, burst.length);
    const rawCpuShare = cpuShare(process.cpuUsage(rawCpu), performance.now() - rawWall);
    receivers.reset();
    rows.push({
      case: `burst: ${burst.length} events (${BURST_COMPLAINTS} complaints submitted and verified) × ${RECEIVERS} receivers = ${burstDeliveries.toLocaleString('en-US')} deliveries, first append → last arrival (outbox, claim, sign, POST, record)`,
      figure: rate(burstRate),
      ratio: ratio(burstRate, rawRate),
    });
    rows.push({
      case: `baseline: the same ${burstDeliveries.toLocaleString('en-US')} signed POSTs with fetch, ${LANES * CONCURRENCY} at a time, no outbox`,
      figure: rate(rawRate),
    });
    rows.push({ case: 'bench process CPU (one core = 100 %): burst / baseline', figure: `${burstCpuShare} / ${rawCpuShare}` });
    rows.push({
      case: 'burst: append → arrival per delivery (queueing included)',
      figure: `p50 ${ms(percentile(burstStats.samples, 50))}, p99 ${ms(percentile(burstStats.samples, 99))}`,
    });

    // 3. steady: submissions at a fixed rate, each to every receiver
    const steady: { id: string; at: number }[] = [];
    const total = STEADY_EVENTS_PER_SECOND * STEADY_SECONDS;
    const steadyStart = performance.now();
    for (let index = 0; index < total; index++) {
      const due = steadyStart + (index * 1000) / STEADY_EVENTS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      steady.push(...(await appendComplaint(store, 10_000 + index, false)));
    }
    const steadyArrivals = await arrivalsOnceAll(receivers, steady.length * RECEIVERS);
    const steadyStats = latencies(steady, steadyArrivals.arrivals);
    const steadyRate = STEADY_EVENTS_PER_SECOND * RECEIVERS;
    const p99 = percentile(steadyStats.samples, 99);
    rows.push({
      case: `steady: ${STEADY_EVENTS_PER_SECOND} events/s × ${RECEIVERS} receivers = ${steadyRate.toLocaleString('en-US')} deliveries/s for ${STEADY_SECONDS} s (${steadyStats.samples.length.toLocaleString('en-US')} measured), append → arrival`,
      figure: `p50 ${ms(percentile(steadyStats.samples, 50))}, p99 ${ms(p99)}`,
      target: 'p99 < 1 s',
    });
    checks.push({
      target: `steady ${steadyRate.toLocaleString('en-US')} deliveries/s to ${RECEIVERS} receivers, append → arrival p99 < 1 s`,
      value: ms(p99),
      met: p99 < 1_000,
    });
    const [attempts] = await db.query<{ attempts: string; delivered: string }>(
      `SELECT (SELECT count(*) FROM webhooks.attempts)::text AS attempts, (SELECT count(*) FROM webhooks.deliveries WHERE status = 'delivered')::text AS delivered`,
    );
    const exactlyOnce = attempts!.attempts === attempts!.delivered;
    checks.push({
      target: 'every delivery posted once (attempts = deliveries delivered, no failures)',
      value: `${attempts!.attempts} attempts, ${attempts!.delivered} delivered`,
      met: exactlyOnce,
    });

    await dispatcher.stop();
    await following.close();
    const report = [
      '# Webhooks benchmark',
      '',
      `Produced by \`pnpm bench:webhooks\` in ${((Date.now() - started) / 1000).toFixed(0)} s: ${RECEIVERS} subscriptions of one instansi, each to its own node:http receiver (a child process, answering 204 at once), on one fresh PostgreSQL database (dropped afterwards). The outbox follows the event log in this process (the embedded and Kafka-less shape; with Kafka the consumer-kit feeds the same handler); one dispatcher, ${LANES} lanes × ${CONCURRENCY} posts in flight, batches of ${BATCH}, waking on NOTIFY. Latency is from the append's commit to the receiver's arrival, both on performance.timeOrigin clocks. The baseline posts the same number of signed bodies to the same receivers with fetch at the same concurrency, with no database at all: the price of the outbox (four row writes per delivery: queue, lease, outcome, attempt log) is the ratio.`,
      '',
      machine(version),
      '',
      table(rows),
      '',
      '## Targets',
      '',
      targets(checks),
      '',
    ].join('\n');
    console.log(report);
    await writeFile(join(__dirname, '..', '..', 'results', 'webhooks.md'), report);
  } finally {
    receivers.stop();
    await store.close();
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
