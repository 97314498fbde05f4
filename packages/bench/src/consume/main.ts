// `pnpm bench:consume`: what committing offsets once per batch saves. The same topic of complaint events,
// published by the real relay, consumed twice by the consumer kit into a read side on PostgreSQL that
// does one upsert per event: once committing the offset after every message (the way it was, kept as
// the baseline), once per batch. Events/s and CPU seconds of this process, PostgreSQL and the broker.
// Writes results/consume.md.
import { KafkaEventConsumer, prepareAppliedPositions, type EventHandler } from '@lapor/consumer-kit';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { createBenchDatabase } from '../database';
import { brokerPid, cpuPercent, readCpu, withPostgres, type CpuGroups } from '../distributed/cpu';
import { machine, rate, ratio, table, type Row } from '../report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const COMPLAINTS = Number(process.env.LAPOR_BENCH_CONSUME_COMPLAINTS ?? 5_000);
const TYPES = ['ComplaintSubmitted', 'ComplaintVerified', 'ComplaintDisposed', 'FollowUpPosted'];
const logger = pino({ level: 'silent' });

/** A read side that counts events by type, one upsert per event, like the smallest projection. */
const counting = (name: string): EventHandler => ({
  name,
  async handle(event, tx) {
    await tx.query('INSERT INTO counts (consumer, type, n) VALUES ($1, $2, 1) ON CONFLICT (consumer, type) DO UPDATE SET n = counts.n + 1', [name, event.type]);
  },
});

async function fill(store: EventStore): Promise<void> {
  const writers = 8;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let c = w; c < COMPLAINTS; c += writers) {
        const stream = `complaint-${randomUUID()}`;
        for (const type of TYPES) await store.appendToStream(stream, [{ id: randomUUID(), type, data: {}, metadata: { schemaVersion: 1 } }]);
      }
    }),
  );
}

interface Consumed {
  readonly perSecond: number;
  readonly cpu: Map<string, number>;
  readonly cpuSeconds: number;
}

async function consumeAll(kafka: Kafka, topic: string, db: SqlRunner, commit: 'message' | 'batch', total: number): Promise<Consumed> {
  const name = `consume-${commit}-${randomBytes(3).toString('hex')}`;
  const groups: CpuGroups = withPostgres(
    new Map([['bench process (consumer)', [process.pid]], ...(brokerPid() ? [['kafka broker', [brokerPid()!]] as const] : [])]),
  );
  const before = readCpu(groups);
  const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler: counting(name), commit });
  await consumer.start();
  for (;;) {
    const rows = await db.query<{ n: string }>('SELECT coalesce(sum(n), 0) AS n FROM counts WHERE consumer = $1', [name]);
    if (Number(rows[0]!.n) >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const after = readCpu(groups);
  await consumer.stop();
  const seconds = (after.at - before.at) / 1000;
  const cpu = cpuPercent(before, after);
  const cpuSeconds = [...cpu.values()].reduce((sum, percent) => sum + (percent / 100) * seconds, 0);
  return { perSecond: total / seconds, cpu, cpuSeconds };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase(SERVER, 'consume');
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  const kafka = new Kafka({ clientId: 'bench-consume', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `bench-consume-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  const rows: Row[] = [];
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
    await prepareAppliedPositions(db);
    await db.exec('CREATE TABLE counts (consumer text, type text, n int NOT NULL, PRIMARY KEY (consumer, type))');
    await fill(store);
    const total = COMPLAINTS * TYPES.length;
    const relay = new Relay({ store, checkpoints: await CheckpointStore.open(db), kafka, logger, topic, name: topic });
    await relay.start();
    while (relay.status().published < total) await new Promise((resolve) => setTimeout(resolve, 100));
    await relay.stop();
    console.log(`${total} events on ${topic}`);

    // twice each, alternating, so neither is favoured by what runs beside it
    const runs: Record<'message' | 'batch', Consumed[]> = { message: [], batch: [] };
    for (const mode of ['message', 'batch', 'message', 'batch'] as const) {
      const result = await consumeAll(kafka, topic, db, mode, total);
      console.log(`${mode}: ${rate(result.perSecond)}, ${result.cpuSeconds.toFixed(1)} CPU s`);
      runs[mode].push(result);
    }
    const best = (results: Consumed[]) => results.reduce((a, b) => (a.perSecond > b.perSecond ? a : b));
    const perMessage = best(runs.message);
    const perBatch = best(runs.batch);
    const cpuPerThousand = (result: Consumed) => `${((result.cpuSeconds / total) * 1000).toFixed(2)} CPU s per 1,000 events`;
    rows.push(
      {
        case: `${total.toLocaleString('en-US')} events, offset committed after every message (baseline)`,
        figure: `${rate(perMessage.perSecond)}; ${cpuPerThousand(perMessage)}`,
      },
      {
        case: `${total.toLocaleString('en-US')} events, offsets committed once per batch`,
        figure: `${rate(perBatch.perSecond)}; ${cpuPerThousand(perBatch)}`,
        ratio: ratio(perBatch.perSecond, perMessage.perSecond),
      },
      { case: 'CPU per event, per batch / per message', figure: ratio(perBatch.cpuSeconds, perMessage.cpuSeconds) },
    );
    const cpuLines = ['| process | per message | per batch |', '|---|---:|---:|'];
    for (const name of perBatch.cpu.keys())
      cpuLines.push(`| ${name} | ${Math.round(perMessage.cpu.get(name) ?? 0)} % | ${Math.round(perBatch.cpu.get(name) ?? 0)} % |`);
    const version = (await db.query<{ server_version: string }>('SHOW server_version'))[0]!.server_version;
    const report = [
      '# Consuming: offsets per message against per batch',
      '',
      'Produced by `pnpm bench:consume`: complaint events published by the relay to a topic of 12 partitions, consumed',
      'by the consumer kit into a read side on PostgreSQL (one upsert per event, its position stored in the same',
      'transaction), each way twice, alternating; the faster run of each is shown.',
      '',
      machine(version),
      '',
      table(rows),
      '',
      '## CPU while consuming (% of one core)',
      '',
      cpuLines.join('\n'),
      '',
    ].join('\n');
    await writeFile(join(__dirname, '..', '..', 'results', 'consume.md'), report);
    console.log('wrote packages/bench/results/consume.md');
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await store.close();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
