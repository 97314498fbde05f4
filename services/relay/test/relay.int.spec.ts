import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { CheckpointStore, Relay } from '@lapor/log-relay';

const logger = pino({ level: 'silent' });

interface Received {
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: { eventId: string; type: string; streamVersion: string; data: unknown };
}

/** The topic as the relay makes it, made first so a test's consumer can subscribe before the relay's first batch. */
async function ensureTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
}

/** Everything on the topic, from the beginning, read by a fresh consumer group until `count` arrived. */
async function consumeAll(kafka: Kafka, topic: string, count: number, settleMs = 500): Promise<Received[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `check-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: Received[] = [];
  await new Promise<void>((resolve, reject) => {
    let settle: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => reject(new Error(`only ${received.length} of ${count} messages arrived`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        received.push({ key: message.key!.toString(), headers, value: JSON.parse(message.value!.toString()) });
        if (received.length >= count) {
          clearTimeout(settle);
          // wait a moment more, so an extra (duplicate) message would be seen too
          settle = setTimeout(() => {
            clearTimeout(deadline);
            resolve();
          }, settleMs);
        }
      },
    });
  });
  await consumer.disconnect();
  return received;
}

describe('the relay: event log to Kafka', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let kafka: Kafka;

  beforeAll(async () => {
    database = await createTestDatabase('relay');
    pool = new Pool({ connectionString: database.url, max: 5 });
    pool.on('error', () => undefined); // cut-off connections at teardown are expected
    store = await createPostgresEventStore({ pool });
    checkpoints = await CheckpointStore.open(createPgRunner(pool, { ownsPool: false }));
    kafka = new Kafka({ clientId: 'relay-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
  });
  const relays: Relay[] = [];
  const started = async (relay: Relay): Promise<Relay> => {
    relays.push(relay);
    await relay.start();
    return relay;
  };
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  const complaintEvents = async (complaints: number, eventsEach: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let c = 0; c < complaints; c++) {
      const complaintId = randomUUID();
      ids.push(complaintId);
      for (let v = 0; v < eventsEach; v++) {
        await store.appendToStream(`complaint-${complaintId}`, [
          { id: randomUUID(), type: v === 0 ? 'ComplaintSubmitted' : 'ComplaintVerified', data: { v }, metadata: { schemaVersion: 1 } },
        ]);
      }
    }
    return ids;
  };

  it('given complaint events and bookkeeping streams, then each complaint event goes out once, keyed and in order, with its headers; the rest stays home', async () => {
    const topic = `relay-test-${randomBytes(4).toString('hex')}`;
    const complaints = await complaintEvents(5, 3);
    await store.appendToStream('staff-accounts', [{ id: randomUUID(), type: 'StaffAccountCreated', data: { username: 'x' } }]);
    await store.appendToStream(`idempotency-${randomBytes(8).toString('hex')}`, [{ id: randomUUID(), type: 'RequestStarted', data: {} }]);

    await ensureTopic(kafka, topic);
    const relay = await started(new Relay({ store, checkpoints, kafka, logger, topic, name: topic, partitions: 3 }));
    const received = await consumeAll(kafka, topic, 15);
    await relay.stop();

    expect(received).toHaveLength(15);
    expect(new Set(received.map((m) => m.key))).toEqual(new Set(complaints));
    for (const complaintId of complaints) {
      expect(received.filter((m) => m.key === complaintId).map((m) => m.value.streamVersion)).toEqual(['0', '1', '2']);
    }
    expect(received[0]!.headers).toMatchObject({
      'message-version': '1',
      'event-type': 'ComplaintSubmitted',
      'schema-version': '1',
      'event-id': received[0]!.value.eventId,
    });
    expect(received[0]!.headers['global-position']).toMatch(/^\d+$/);
    expect(relay.status()).toMatchObject({ published: 15, lagEvents: 0, lagSeconds: 0, kafkaAvailable: true });
  });

  it('given a relay that stopped, when another starts with the same name, then it goes on from the checkpoint and repeats nothing', async () => {
    const topic = `relay-test-${randomBytes(4).toString('hex')}`;
    await complaintEvents(2, 2);
    await ensureTopic(kafka, topic);
    const first = await started(new Relay({ store, checkpoints, kafka, logger, topic, name: topic, partitions: 3 }));
    const before = (await consumeAll(kafka, topic, 1, 0)).length; // the topic exists and something arrived
    expect(before).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.stop();
    const publishedFirst = first.status().published;

    await complaintEvents(3, 1);
    const second = await started(new Relay({ store, checkpoints, kafka, logger, topic, name: topic, partitions: 3 }));
    const all = await consumeAll(kafka, topic, publishedFirst + 3);
    await second.stop();
    expect(second.status().published).toBe(3);
    expect(all).toHaveLength(publishedFirst + 3);
    expect(new Set(all.map((m) => m.value.eventId)).size).toBe(all.length);
  });

  it('given Kafka unreachable, then appends still succeed, the relay says why and how far behind, and it catches up when Kafka is back', async () => {
    const topic = `relay-test-${randomBytes(4).toString('hex')}`;
    const unreachable = new Kafka({
      clientId: 'relay-test',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 200,
    });
    const stranded = await started(new Relay({ store, checkpoints, kafka: unreachable, logger, topic, name: topic, retryMs: { first: 20, max: 100 } }));
    await complaintEvents(3, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const status = stranded.status();
    await stranded.stop();
    expect(status.kafkaAvailable).toBe(false);
    expect(status.lastError).toBeTruthy();
    expect(status.published).toBe(0);
    expect(status.lagEvents).toBeGreaterThanOrEqual(3);
    expect(status.lagSeconds).toBeGreaterThan(0);

    await ensureTopic(kafka, topic);
    const back = await started(new Relay({ store, checkpoints, kafka, logger, topic, name: topic, partitions: 3 }));
    const everything = await consumeAll(kafka, topic, 1, 0);
    expect(everything.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await back.stop();
    expect(back.status().lagEvents).toBe(0);
    expect(back.status().published).toBeGreaterThanOrEqual(3);
  });
});
