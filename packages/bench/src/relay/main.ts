// `pnpm bench:relay`: the relay's throughput next to a raw kafkajs producer sending the same messages,
// the same messages sent by @platformatic/kafka's producer (the question: keep kafkajs?), and
// end-to-end lag from append to a consumer having applied the event, at steady 200 and 1,000 events/s.
// Writes results/relay.md.
import { fromKafkaMessage, toKafkaMessage } from '@lapor/complaint-event-message';
import { applyOnce, prepareAppliedPositions, type EventHandler } from '@lapor/consumer-kit';
import { createPostgresEventStore, LOG_START, type EventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { ProduceAcks, Producer as PlatformaticProducer } from '@platformatic/kafka';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { createBenchDatabase } from '../database';
import { machine, rate, ratio, table, type Row } from '../report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 50_000);
const logger = pino({ level: 'silent' });

async function fill(store: EventStore, count: number): Promise<void> {
  const writers = 8;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = w; i < count; i += writers * 10) {
        const stream = `complaint-${randomUUID()}`;
        const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => ({
          id: randomUUID(),
          type: 'ComplaintSubmitted',
          data: { i: i + k, title: 'Jalan rusak di depan sekolah' },
          metadata: { schemaVersion: 1 },
        }));
        if (batch.length > 0) await store.appendToStream(stream, batch);
      }
    }),
  );
}

async function newTopic(kafka: Kafka, partitions = 12): Promise<string> {
  const topic = `bench-relay-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

/** A plain idempotent kafkajs producer sending the messages in batches of 500: answers events/s. */
async function sendWithKafkajs(kafka: Kafka, topic: string, messages: readonly Message[]): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const started = performance.now();
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
    return messages.length / ((performance.now() - started) / 1000);
  } finally {
    await producer.disconnect();
  }
}

const buffer = (value: Buffer | string | null | undefined): Buffer | undefined =>
  value === null || value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(value);

/** The same messages and batches through @platformatic/kafka's idempotent producer (acks all): answers events/s. */
async function sendWithPlatformatic(topic: string, messages: readonly Message[]): Promise<number> {
  const producer = new PlatformaticProducer({ clientId: 'bench-relay-platformatic', bootstrapBrokers: BROKERS, idempotent: true, acks: ProduceAcks.ALL });
  // converted before the clock starts, as kafkajs' messages are built before its
  const converted = messages.map((message) => ({
    topic,
    key: buffer(message.key),
    value: buffer(message.value),
    headers: new Map(Object.entries(message.headers ?? {}).map(([name, value]) => [Buffer.from(name), buffer(value as Buffer | string)!])),
  }));
  try {
    const started = performance.now();
    for (let i = 0; i < converted.length; i += 500) await producer.send({ messages: converted.slice(i, i + 500) });
    return converted.length / ((performance.now() - started) / 1000);
  } finally {
    await producer.close();
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const rows: Row[] = [];
  const database = await createBenchDatabase(SERVER, 'relay');
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const store = await createPostgresEventStore({ pool });
  const db = createPgRunner(pool, { ownsPool: false });
  const checkpoints = await CheckpointStore.open(db);
  const kafka = new Kafka({ clientId: 'bench-relay', brokers: BROKERS, logLevel: logLevel.NOTHING });
  try {
    await fill(store, EVENTS);
    const count = (await store.readGlobalLog(LOG_START, EVENTS + 10)).events.length;

    // raw: the same messages, read once, sent by a plain idempotent producer in batches of 500
    const messages: Message[] = [];
    for (let from = LOG_START; ;) {
      const page = await store.readGlobalLog(from, 5_000);
      if (page.events.length === 0) break;
      for (const event of page.events) messages.push(toKafkaMessage(event)!);
      from = page.next;
    }
    // each producer twice, in turn, on a fresh topic each time; the faster round counts, so load that
    // comes and goes on a shared machine favours neither
    const kafkajsRates: number[] = [];
    const platformaticRates: number[] = [];
    for (let round = 0; round < 2; round++) {
      kafkajsRates.push(await sendWithKafkajs(kafka, await newTopic(kafka), messages));
      platformaticRates.push(await sendWithPlatformatic(await newTopic(kafka), messages));
    }
    const rawRate = Math.max(...kafkajsRates);
    const platformaticRate = Math.max(...platformaticRates);

    // ours: the relay from an empty checkpoint, reading the log and moving its checkpoint as it goes;
    // twice, each on a fresh topic and checkpoint, the faster counting, as for the producers. Timed
    // from its first acknowledged page (connecting and provisioning the topic are outside the
    // producers' clocks too) to the last checkpoint.
    const relayRates: number[] = [];
    let relayTopic = '';
    let relay: Relay | undefined;
    for (let round = 0; round < 2; round++) {
      await relay?.stop();
      relayTopic = await newTopic(kafka);
      relay = new Relay({ store, checkpoints, kafka, logger, topic: relayTopic, name: relayTopic });
      await relay.start();
      while (relay.status().published === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      const [first, firstAt] = [relay.status().published, performance.now()];
      while (relay.status().published < count) await new Promise((resolve) => setTimeout(resolve, 1));
      relayRates.push((count - first) / ((performance.now() - firstAt) / 1000));
    }
    const relayRate = Math.max(...relayRates);
    rows.push({
      case: `raw kafkajs producer, ${count.toLocaleString('en-US')} events, batches of 500 (idempotent, acks all; best of 2)`,
      figure: `${rate(rawRate)} (rounds ${kafkajsRates.map(rate).join(', ')})`,
    });
    rows.push({
      case: '@platformatic/kafka 2.12 producer, the same messages and batches (idempotent, acks all; best of 2)',
      figure: `${rate(platformaticRate)} (rounds ${platformaticRates.map(rate).join(', ')})`,
      ratio: `${ratio(platformaticRate, rawRate)} kafkajs`,
    });
    rows.push({
      case: 'relay (read log, publish, checkpoint; pages of 500, the next read while Kafka takes one; best of 2, from the first acknowledged page)',
      figure: `${rate(relayRate)} (rounds ${relayRates.map(rate).join(', ')})`,
      ratio: `${ratio(relayRate, rawRate)} raw`,
      target: `≥ 0.90×: ${relayRate / rawRate >= 0.9 ? 'met' : 'NOT met'}`,
    });
    console.log(rows.at(-2), rows.at(-1));

    // lag: steady appends; a consumer applies each event (with its version, in a transaction) and notes when
    await prepareAppliedPositions(db);
    const lags: number[] = [];
    const sentAt = new Map<string, number>();
    const handler: EventHandler = { name: 'lag', handle: async () => undefined };
    const consumer = kafka.consumer({ groupId: `bench-lag-${randomBytes(3).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: relayTopic, fromBeginning: false });
    await consumer.run({
      // as the consumer kit runs: partitions in parallel, each in order
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const event = fromKafkaMessage(message);
        await applyOnce(db, handler, event);
        const sent = sentAt.get(event.eventId);
        if (sent !== undefined) lags.push(performance.now() - sent);
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // joined the group
    for (const perSecond of [200, 1_000]) {
      lags.length = 0;
      const seconds = 10;
      const started = performance.now();
      let sent = 0;
      while (performance.now() - started < seconds * 1000) {
        const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
        while (sent < due) {
          const id = randomUUID();
          sentAt.set(id, performance.now());
          sent++;
          void store.appendToStream(`complaint-${randomUUID()}`, [{ id, type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const deadline = performance.now() + 15_000;
      while (lags.length < sent && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const sorted = [...lags].sort((a, b) => a - b);
      const p99 = percentile(sorted, 99);
      rows.push({
        case: `append → applied by a consumer, steady ${perSecond} events/s (${sorted.length}/${sent} measured)`,
        figure: `p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
        target: perSecond === 1_000 ? `p99 < 500 ms: ${p99 < 500 ? 'met' : 'NOT met'}` : undefined,
      });
      console.log(rows.at(-1));
    }
    await consumer.disconnect();
    await relay?.stop();
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
  const report = [
    '# Relay benchmark',
    '',
    'Produced by `pnpm bench:relay` against the same PostgreSQL and the infra/kafka.sh broker.',
    '',
    machine('15'),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'relay.md'), report);
  console.log('\nwritten to packages/bench/results/relay.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
