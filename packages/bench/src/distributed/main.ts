// `pnpm bench:distributed`: the distributed set (gateway, eight services, the relay) as processes on this
// machine, on a fresh PostgreSQL database and a topic of its own on the broker in KAFKA_BROKERS, under
// a steady mix (an agency system submits, the instansi's admin verifies and disposes, the unit's liaison
// follows up). It steps the rate of new complaints up until write p99 passes 100 ms or the read sides
// stop keeping up, then measures a read side catching up after a SIGKILL, a service SIGKILL as the
// gateway sees it, and (LAPOR_BENCH_BROKER_RESTART=1, the infra/kafka.sh broker only) a broker restart.
// Writes results/distributed.md. Settings: LAPOR_BENCH_RATES (complaints/s, comma-separated),
// LAPOR_BENCH_STEP_SECONDS (20).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, table, targets, type Row } from '../report';
import { brokerPid, cpuPercent, readCpu, withPostgres, type CpuGroups } from './cpu';
import { drained, groupLag, topicEnd } from './lag';
import { issueApiKey, runStep, submit, token, verify, type Actors, type StepResult } from './mix';
import { readStatements, statementsPerComplaint } from './statements';
import { READ_SIDES, Topology, waitReady, type ProcessName } from './topology';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const RATES = (process.env.LAPOR_BENCH_RATES ?? '10,20,40,60,80,100,120,150').split(',').map(Number);
const STEP_SECONDS = Number(process.env.LAPOR_BENCH_STEP_SECONDS ?? 20);
const BROKER_RESTART = process.env.LAPOR_BENCH_BROKER_RESTART === '1';
/** What the issue measured before: the set's rate at 20 complaints/s already cost 173 % of the two cores. */
const BEFORE_COMPLAINTS_PER_SECOND = 20;
const P99_BOUND_MS = 100;
const WARM_UP = { perSecond: 20, seconds: 15 };
const IDLE_SECONDS = 10;
/** A read side keeps up when what the step left on the topic is applied within this after the step. */
const DRAIN_BOUND_MS = 5_000;
const PASSWORD = 'bench-distributed-pw';
const INSTANSI = 'pemprov-ntt';
const UNIT = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const REPO = join(__dirname, '..', '..', '..', '..');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number | undefined): string => (value === undefined ? 'not within bound' : `${Math.round(value).toLocaleString('en-US')} ms`);
const seconds = (value: number | undefined): string => (value === undefined ? 'not within bound' : `${(value / 1000).toFixed(1)} s`);

interface Step extends StepResult {
  readonly drainMs: Map<string, number | undefined>;
  readonly cpu: Map<string, number>;
  /** PostgreSQL statements per complaint, by process, over the step and its drain. */
  readonly statements: Map<string, number>;
  readonly sustained: boolean;
}

function cpuGroups(topology: Topology): CpuGroups {
  const groups: CpuGroups = new Map([...topology.pids()].map(([name, pid]) => [name, [pid]]));
  const broker = brokerPid();
  if (broker) groups.set('kafka broker', [broker]);
  return withPostgres(groups);
}

async function step(topology: Topology, actors: Actors, admin: Admin, topic: string, groups: readonly string[], rate: number, length: number): Promise<Step> {
  const watched = cpuGroups(topology);
  const statementsBefore = await readStatements(topology);
  const before = readCpu(watched);
  const benchBefore = process.cpuUsage();
  const result = await runStep(actors, rate, length);
  const after = readCpu(watched);
  const cpu = cpuPercent(before, after);
  const bench = process.cpuUsage(benchBefore);
  // microseconds of CPU over milliseconds of wall time, in percent of one core
  cpu.set('bench client (load generator)', (bench.user + bench.system) / 10 / (after.at - before.at));
  const drainMs = await drained(admin, topic, groups, DRAIN_BOUND_MS);
  const statements = statementsPerComplaint(statementsBefore, await readStatements(topology), result.completed);
  const sustained = result.p99 < P99_BOUND_MS && result.failures === 0 && result.skipped === 0 && [...drainMs.values()].every((v) => v !== undefined);
  return { ...result, drainMs, cpu, statements, sustained };
}

/** What the set costs with nothing to do: polls, heartbeats, timers. Every step pays it on top of its work. */
async function idle(topology: Topology, seconds: number): Promise<Step> {
  const watched = cpuGroups(topology);
  const before = readCpu(watched);
  await sleep(seconds * 1000);
  const cpu = cpuPercent(before, readCpu(watched));
  const none = { complaintsPerSecond: 0, started: 0, completed: 0, writes: 0, failures: 0, skipped: 0, failureStatuses: {}, p50: 0, p99: 0, max: 0 };
  return { ...none, drainMs: new Map(), cpu, statements: new Map(), sustained: true };
}

function stepRow(label: string, s: Step): Row {
  return {
    case: `${label}: ${s.complaintsPerSecond} complaints/s (${s.complaintsPerSecond * 4} writes/s) for ${STEP_SECONDS} s`,
    figure: `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; ${s.completed}/${s.started} complete, ${s.failures} failed${s.failures ? ` ${JSON.stringify(s.failureStatuses)}` : ''}, ${s.skipped} not started; read sides drained in ${[...s.drainMs.values()].map(ms).join(' / ')}; ${[...s.statements.values()].reduce((a, b) => a + b, 0).toFixed(1)} statements a complaint`,
    target: s.sustained ? 'sustained' : 'not sustained',
  };
}

/** Statements to PostgreSQL per complaint: what a complaint costs the database in round trips, by process. */
function statementsTable(steps: ReadonlyArray<{ label: string; step: Step }>): string {
  const counted = steps.filter(({ step }) => step.statements.size > 0);
  const names = [...new Set(counted.flatMap(({ step }) => [...step.statements.keys()]))];
  const one = (value: number | undefined) => (value ?? 0).toFixed(1);
  const lines = [`| process | ${counted.map(({ label }) => label).join(' | ')} |`, `|---|${counted.map(() => '---:').join('|')}|`];
  for (const name of names) lines.push(`| ${name} | ${counted.map(({ step }) => one(step.statements.get(name))).join(' | ')} |`);
  lines.push(`| **all** | ${counted.map(({ step }) => `**${one([...step.statements.values()].reduce((a, b) => a + b, 0))}**`).join(' | ')} |`);
  return lines.join('\n');
}

function cpuTable(steps: ReadonlyArray<{ label: string; step: Step }>): string {
  const names = [...new Set(steps.flatMap(({ step }) => [...step.cpu.keys()]))];
  const lines = [`| process | ${steps.map(({ label }) => label).join(' | ')} |`, `|---|${steps.map(() => '---:').join('|')}|`];
  for (const name of names) lines.push(`| ${name} | ${steps.map(({ step }) => `${Math.round(step.cpu.get(name) ?? 0)} %`).join(' | ')} |`);
  const total = steps.map(({ step }) => `${Math.round([...step.cpu.values()].reduce((a, b) => a + b, 0))} %`);
  lines.push(`| **all** (of 200 %) | ${total.join(' | ')} |`);
  return lines.join('\n');
}

/** SIGKILLs a service and polls one of its routes through the gateway: when the gateway says it is gone, and when it is back. */
async function serviceKill(topology: Topology, actors: Actors, name: ProcessName): Promise<Row[]> {
  const { complaintId } = await submit(actors);
  if (!complaintId) throw new Error('could not submit the complaint the kill test verifies');
  const killedAt = performance.now();
  topology.kill(name);
  let firstError: { status: number; at: number } | undefined;
  let unavailableAt: number | undefined;
  while (performance.now() - killedAt < 30_000) {
    const { status } = await verify(actors, complaintId);
    if (status >= 500 && !firstError) firstError = { status, at: performance.now() - killedAt };
    if (status === 503) {
      unavailableAt = performance.now() - killedAt;
      break;
    }
    await sleep(20);
  }
  const restartedAt = performance.now();
  topology.restart(name);
  let readyAt: number | undefined;
  void waitReady(topology.urls.get(name)!).then(() => (readyAt = performance.now() - restartedAt));
  let backAt: number | undefined;
  while (performance.now() - restartedAt < 120_000) {
    const { status } = await verify(actors, complaintId);
    if (status === 200) {
      backAt = performance.now() - restartedAt;
      break;
    }
    await sleep(50);
  }
  return [
    { case: `${name} SIGKILLed: first answer of the gateway for its routes`, figure: firstError ? `${firstError.status} after ${ms(firstError.at)}` : 'none' },
    { case: `${name} SIGKILLed: gateway answers 503 (circuit open)`, figure: ms(unavailableAt), target: '< 1 s' },
    {
      case: `${name} restarted: gateway answers 2xx again`,
      figure: `${ms(backAt)} after the spawn (the process ready after ${ms(readyAt)}: Node and tsx starting)`,
    },
  ];
}

/** Restarts the infra/kafka.sh broker under a trickle of complaints: when the relay publishes again and each read side consumes again. */
async function brokerRestart(kafka: Kafka, actors: Actors, topic: string, groups: readonly string[]): Promise<Row[]> {
  const restarting = performance.now();
  await promisify(execFile)('bash', [join(REPO, 'infra', 'kafka.sh'), 'restart'], { timeout: 180_000 });
  const up = performance.now();
  let trickling = true;
  const trickle = (async () => {
    while (trickling) {
      await submit(actors).catch(() => undefined);
      await sleep(200);
    }
  })();
  const admin = kafka.admin();
  let endAtUp: number | undefined;
  while (endAtUp === undefined && performance.now() - up < 30_000) endAtUp = await topicEnd(admin, topic).catch(() => (sleep(200), undefined));
  let published: number | undefined;
  const consuming = new Map<string, number | undefined>(groups.map((group) => [group, undefined]));
  while (performance.now() - up < 90_000 && (published === undefined || [...consuming.values()].some((v) => v === undefined))) {
    const end = await topicEnd(admin, topic).catch(() => undefined);
    if (end !== undefined && endAtUp !== undefined && end > endAtUp && published === undefined) published = performance.now() - up;
    if (published !== undefined) {
      for (const group of groups) {
        if (consuming.get(group) !== undefined) continue;
        // consuming again: it has committed past what was on the topic when the broker came back
        const lag = await groupLag(admin, topic, group).catch(() => undefined);
        if (lag !== undefined && end !== undefined && lag < end - (endAtUp ?? 0)) consuming.set(group, performance.now() - up);
      }
    }
    await sleep(100);
  }
  trickling = false;
  await trickle;
  await admin.disconnect();
  return [
    { case: 'broker restart (infra/kafka.sh restart: down, then up)', figure: seconds(up - restarting) },
    { case: 'broker answering → relay publishing again', figure: seconds(published) },
    ...[...consuming].map(([group, at]) => ({ case: `broker answering → ${group} consuming again`, figure: seconds(at), target: '< 5 s' })),
  ];
}

async function main(): Promise<void> {
  const database = await createBenchDatabase(SERVER, 'distributed');
  const run = randomBytes(4).toString('hex');
  const topic = `lapor.bench-${run}.complaint-events`;
  const groupOf = (name: string) => `lapor.bench-${run}.${name}`;
  const groups = READ_SIDES.map(groupOf);
  const logDir = mkdtempSync(join(tmpdir(), 'lapor-bench-distributed-'));
  const secrets = { LAPOR_JWT_SECRET: randomBytes(36).toString('base64'), LAPOR_MASTER_KEY: randomBytes(32).toString('base64') };
  const topology = new Topology(
    (name) => ({
      ...secrets,
      DATABASE_URL: database.url,
      KAFKA_BROKERS: BROKERS.join(','),
      LAPOR_TOPIC: topic,
      LAPOR_CONSUMER_GROUP: groupOf(name),
      LAPOR_KEY_DIR: join(logDir, 'keys'),
      LAPOR_DATA_DIR: join(logDir, 'data'),
      LAPOR_DEMO: '1',
      LAPOR_DEMO_PASSWORD: PASSWORD,
      // the gateway is the edge the bench calls; the services trust it
      LAPOR_TRUST_PROXY: name === 'gateway' ? '' : '127.0.0.1',
      LOG_LEVEL: 'warn',
    }),
    logDir,
  );
  const kafka = new Kafka({ clientId: 'bench-distributed', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
  console.log(`logs in ${logDir}`);
  const rows: Row[] = [];
  const cpuSteps: Array<{ label: string; step: Step }> = [];
  const found: Array<{ target: string; value: string; met: boolean }> = [];
  try {
    await topology.start();
    const base = topology.gatewayUrl;
    const adminToken = await token(base, 'admin-ntt', PASSWORD);
    const actors: Actors = {
      baseUrl: base,
      adminToken,
      liaisonToken: await token(base, 'penghubung-pupr', PASSWORD),
      apiKey: await issueApiKey(base, adminToken, INSTANSI),
      unit: UNIT,
    };
    // warm-up, not reported: JIT, connection pools, the consumers' first fetches. 5 s at 10/s left
    // the first measured step paying for it (p50 140–170 ms at 40/s first, 28–33 ms after 20/s)
    await runStep(actors, WARM_UP.perSecond, WARM_UP.seconds);
    await drained(admin, topic, groups, 30_000);
    cpuSteps.push({ label: 'idle', step: await idle(topology, IDLE_SECONDS) });

    let best: Step | undefined;
    for (const rate of RATES) {
      const result = await step(topology, actors, admin, topic, groups, rate, STEP_SECONDS);
      const row = stepRow('steady', result);
      console.log(`${row.case}: ${row.figure} — ${row.target}`);
      rows.push(row);
      cpuSteps.push({ label: `${rate}/s`, step: result });
      if (!result.sustained) break;
      best = result;
    }
    const sustained = best?.complaintsPerSecond ?? 0;
    found.push({
      target: `≥ ${5 * BEFORE_COMPLAINTS_PER_SECOND} complaints/s (5× the ${BEFORE_COMPLAINTS_PER_SECOND}/s measured before) with write p99 < ${P99_BOUND_MS} ms and every read side keeping up`,
      value: `${sustained} complaints/s, ${(sustained / BEFORE_COMPLAINTS_PER_SECOND).toFixed(1)}×`,
      met: sustained >= 5 * BEFORE_COMPLAINTS_PER_SECOND,
    });

    // one read side catching up: statistics SIGKILLed, the mix goes on, then it comes back
    const catchUpRate = sustained || RATES[0]!;
    topology.kill('statistics');
    await runStep(actors, catchUpRate, 10);
    const behind = await groupLag(admin, topic, groupOf('statistics'));
    topology.restart('statistics');
    const restarted = performance.now();
    let caughtUp: number | undefined;
    const watching = (async () => {
      while (caughtUp === undefined && performance.now() - restarted < 120_000) {
        if ((await groupLag(admin, topic, groupOf('statistics')).catch(() => Infinity)) <= 4 * catchUpRate) caughtUp = performance.now() - restarted;
        else await sleep(200);
      }
    })();
    const during = await step(topology, actors, admin, topic, groups, catchUpRate, STEP_SECONDS);
    await watching;
    const duringRow = stepRow('while statistics catches up', during);
    console.log(`${duringRow.case}: ${duringRow.figure}`);
    rows.push(duringRow, {
      case: `statistics restarted ${behind} events behind: back within one second's events`,
      figure: `${seconds(caughtUp)} after the spawn`,
    });
    cpuSteps.push({ label: `catch-up ${catchUpRate}/s`, step: during });
    found.push({ target: `write p99 < ${P99_BOUND_MS} ms while a read side catches up`, value: ms(during.p99), met: during.p99 < P99_BOUND_MS });

    const killed = await serviceKill(topology, actors, 'verification');
    killed.forEach((row) => console.log(`${row.case}: ${row.figure}`));
    rows.push(...killed);

    if (BROKER_RESTART) {
      const broker = await brokerRestart(kafka, actors, topic, groups);
      broker.forEach((row) => console.log(`${row.case}: ${row.figure}`));
      rows.push(...broker);
    }
  } finally {
    await topology.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  }

  const client = new Client({ connectionString: SERVER });
  await client.connect();
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await client.end();
  const report = [
    '# The distributed set under a steady mix',
    '',
    'Produced by `pnpm bench:distributed`: the gateway, the eight services and the relay as processes on this machine',
    '(as infra/start-distributed.sh runs them), on a fresh PostgreSQL database and a topic of 12 partitions on the',
    'infra/kafka.sh broker. Each complaint is four writes through the gateway: an agency system submits it with its API',
    'key, the instansi admin verifies and disposes it to a unit, the unit’s liaison follows up. Open loop: complaints',
    'start on schedule whatever the latency. A rate is sustained when write p99 < 100 ms, nothing fails, and every read',
    `side (statistics, scheduler, SMS, webhooks) has applied what the step wrote within ${DRAIN_BOUND_MS / 1000} s of its end.`,
    `The steps follow a warm-up of ${WARM_UP.seconds} s at ${WARM_UP.perSecond} complaints/s, not reported.`,
    '',
    machine(version),
    '',
    table(rows),
    '',
    '## CPU per process (% of one core, during each step; the machine has 2 cores)',
    '',
    cpuTable(cpuSteps),
    '',
    '## PostgreSQL statements per complaint, by process (each a round trip; the step and its drain)',
    '',
    'Counted by each process as it sends them (`lapor_db_statements_total` on its /metrics). The write path (gateway,',
    'intake, verification, disposition, follow-up) costs the same at any rate; the read sides apply what each 100 ms',
    'brings in one transaction, so theirs fall as the rate grows.',
    '',
    statementsTable(cpuSteps),
    '',
    '## Targets',
    '',
    targets(found),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'distributed.md'), report);
  console.log('\nwrote packages/bench/results/distributed.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
