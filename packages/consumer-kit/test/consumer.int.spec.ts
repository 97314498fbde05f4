import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { Kafka, logLevel, type Consumer, type ConsumerConfig } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { followEventLog, KafkaEventConsumer, prepareAppliedPositions, replayDeadLetters, type EventEnvelope, type EventHandler } from '../src';

const logger = pino({ level: 'silent' });

/** A read side that counts events by type: a double count would show. */
function countingHandler(name: string, failOn?: (event: EventEnvelope) => boolean): EventHandler {
  return {
    name,
    async handle(event: EventEnvelope, tx: SqlQueryable) {
      if (failOn?.(event)) throw new Error(`cannot apply ${event.type}`);
      await tx.query(`INSERT INTO counts (consumer, type, n) VALUES ($1, $2, 1) ON CONFLICT (consumer, type) DO UPDATE SET n = counts.n + 1`, [
        name,
        event.type,
      ]);
    },
  };
}

async function until(predicate: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the consumer kit', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;
  let kafka: Kafka;
  let relay: Relay;
  let topic: string;
  const total = 5 * 4;

  const counts = async (consumer: string): Promise<Record<string, number>> => {
    const rows = await db.query<{ type: string; n: number }>('SELECT type, n FROM counts WHERE consumer = $1', [consumer]);
    return Object.fromEntries(rows.map((row) => [row.type, Number(row.n)]));
  };
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    database = await createTestDatabase('consumers');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined); // cut-off connections at teardown are expected
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
    await db.exec('CREATE TABLE counts (consumer text, type text, n int NOT NULL, PRIMARY KEY (consumer, type))');
    kafka = new Kafka({ clientId: 'consumer-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
    topic = `consumers-${randomBytes(4).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    // 5 complaints, 4 events each, published by the real relay
    for (let c = 0; c < 5; c++) {
      const stream = `complaint-${randomUUID()}`;
      for (const type of ['ComplaintSubmitted', 'ComplaintVerified', 'ComplaintDisposed', 'FollowUpPosted']) {
        await store.appendToStream(stream, [{ id: randomUUID(), type, data: {}, metadata: { schemaVersion: 1 } }]);
      }
    }
    relay = new Relay({ store, checkpoints: await CheckpointStore.open(db), kafka, logger, topic, name: topic });
    await relay.start();
  });
  afterAll(async () => {
    await relay.stop();
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given a consumer that dies between its database commit and its offset commit, when it comes back, then nothing is counted twice', async () => {
    let applied = 0;
    const crashing = new KafkaEventConsumer({
      kafka,
      topic,
      db,
      logger,
      handler: countingHandler('crash-test'),
      beforeOffsetCommit: async () => {
        applied++;
        if (applied === 7) throw new Error('simulated crash after the database commit');
      },
    });
    await crashing.start();
    await until(async () => applied >= 7, 'the crash');
    await crashing.stop(); // its 7th offset was never committed

    const restarted = new KafkaEventConsumer({ kafka, topic, db, logger, handler: countingHandler('crash-test') });
    await restarted.start();
    await until(async () => sum(await counts('crash-test')) >= total, 'every event counted');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a redelivery would land now
    await restarted.stop();

    expect(await counts('crash-test')).toEqual({ ComplaintSubmitted: 5, ComplaintVerified: 5, ComplaintDisposed: 5, FollowUpPosted: 5 });
  });

  it('given a topic of events, when a consumer applies them all, then it commits offsets about once a second, not once per event', async () => {
    let commits = 0;
    // the consumer the kit makes, watched: kafkajs reports each offset commit it sends
    class CountingKafka extends Kafka {
      override consumer(config: ConsumerConfig): Consumer {
        const made = super.consumer(config);
        made.on(made.events.COMMIT_OFFSETS, () => void commits++);
        return made;
      }
    }
    const watched = new CountingKafka({ clientId: 'consumer-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const consumer = new KafkaEventConsumer({ kafka: watched, topic, db, logger, handler: countingHandler('batch-test') });
    await consumer.start();
    await until(async () => sum(await counts('batch-test')) >= total, 'every event counted');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the last batch's commit
    await consumer.stop();

    expect(sum(await counts('batch-test'))).toBe(total);
    expect(commits).toBeGreaterThan(0);
    // 20 events on 3 partitions: a commit per event would be 20
    expect(commits).toBeLessThan(total / 2);
  });

  it('given events waiting on every partition, when a consumer fetches them, then the partitions’ batches are applied together, in fewer transactions than partitions', async () => {
    const transactions = new Set<string>();
    const recording: EventHandler = {
      name: 'gather-test',
      async handle(event: EventEnvelope, tx: SqlQueryable) {
        const [row] = await tx.query<{ id: string }>('SELECT pg_current_xact_id()::text AS id');
        transactions.add(row!.id);
        await countingHandler('gather-test').handle(event, tx);
      },
    };
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler: recording });
    await consumer.start();
    await until(async () => sum(await counts('gather-test')) >= total, 'every event counted');
    await consumer.stop();

    expect(sum(await counts('gather-test'))).toBe(total);
    // 20 events on 3 partitions, fetched together: one transaction per partition would be 3
    expect(transactions.size).toBeLessThan(3);
  });

  it('given an event that keeps failing, then it and its complaint’s later events go to the dead-letter topic, other complaints go on, and a replay completes it', async () => {
    const handler = countingHandler('dlq-test', (event) => event.type === 'ComplaintDisposed');
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler, maxAttempts: 2, retryMs: { first: 10, max: 10 } });
    await consumer.start();
    await until(async () => sum(await counts('dlq-test')) >= total - 10, 'the events before the failing one');

    const dead: Array<{ error: string; type: string }> = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic: consumer.deadLetterTopic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        dead.push({ error: message.headers!.error!.toString(), type: JSON.parse(message.value!.toString()).type });
      },
    });
    // each complaint's Disposed failed, and its FollowUpPosted was held back behind it, in order
    await until(async () => dead.length >= 10, 'ten dead letters');
    await reader.disconnect();
    await consumer.stop();

    expect(await counts('dlq-test')).toEqual({ ComplaintSubmitted: 5, ComplaintVerified: 5 });
    expect(dead).toHaveLength(10);
    expect(dead.filter((letter) => letter.type === 'ComplaintDisposed').every((letter) => letter.error === 'cannot apply ComplaintDisposed')).toBe(true);
    expect(dead.filter((letter) => letter.type === 'FollowUpPosted').every((letter) => letter.error.startsWith('held back'))).toBe(true);

    // the cause fixed, the dead letters replayed: the read side completes, nothing counted twice
    const fixed = new KafkaEventConsumer({ kafka, topic, db, logger, handler: countingHandler('dlq-test') });
    await fixed.start();
    expect(
      await replayDeadLetters({ kafka, db, consumer: 'dlq-test', deadLetterTopic: consumer.deadLetterTopic, sourceTopic: topic, logger, idleMs: 1_500 }),
    ).toBe(10);
    await until(async () => sum(await counts('dlq-test')) >= total, 'the replayed events');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fixed.stop();
    expect(await counts('dlq-test')).toEqual({ ComplaintSubmitted: 5, ComplaintVerified: 5, ComplaintDisposed: 5, FollowUpPosted: 5 });
  });

  it('given the same handler on the in-process log instead of Kafka, then it builds the same counts from the start of the log, through passing failures', async () => {
    const errors: unknown[] = [];
    let failuresLeft = 2; // the database "goes away" twice, at the first verification it applies
    const flaky = countingHandler('in-process', (event) => event.type === 'ComplaintVerified' && failuresLeft-- > 0);
    const subscription = followEventLog(store, db, flaky, { onError: (error) => errors.push(error), retryMs: { first: 20, max: 50 } });
    await until(async () => sum(await counts('in-process')) >= total, 'the whole log');
    await subscription.close();
    expect(errors).toHaveLength(2);
    expect(await counts('in-process')).toEqual({ ComplaintSubmitted: 5, ComplaintVerified: 5, ComplaintDisposed: 5, FollowUpPosted: 5 });
  });

  it('given a message on the topic that is not a complaint-event message, then it goes to the dead-letter topic with the reason, and the consumer goes on', async () => {
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler: countingHandler('malformed-test') });
    await consumer.start();
    await until(async () => sum(await counts('malformed-test')) >= total, 'the relay’s events');

    // a writer that does not use the contract: a position as a number, and one that is not JSON at all
    const producer = kafka.producer();
    await producer.connect();
    const complaintId = randomUUID();
    const wrong = {
      eventId: randomUUID(),
      type: 'ComplaintSubmitted',
      schemaVersion: 1,
      complaintId,
      streamVersion: '1',
      globalPosition: 7,
      recordedAt: new Date().toISOString(),
      data: {},
    };
    await producer.send({
      topic,
      messages: [
        { key: complaintId, value: JSON.stringify(wrong) },
        { key: complaintId, value: 'not json' },
      ],
    });
    // and a proper event after them, through the relay: the consumer must still be taking events
    await store.appendToStream(`complaint-${complaintId}`, [{ id: randomUUID(), type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
    await producer.disconnect();
    // the event after them, in the same partition, applied: the consumer went past both
    await until(async () => (await counts('malformed-test')).ComplaintSubmitted === 6, 'the next event applied');

    const dead: Array<{ reason: string; error: string }> = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic: consumer.deadLetterTopic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        dead.push({ reason: message.headers!['dead-letter-reason']!.toString(), error: message.headers!.error!.toString() });
      },
    });
    await until(async () => dead.length >= 2, 'two dead letters');
    await reader.disconnect();
    await consumer.stop();

    expect(dead).toEqual([
      { reason: 'malformed', error: expect.stringContaining('globalPosition') },
      { reason: 'malformed', error: expect.stringContaining('not JSON') },
    ]);
    expect(await counts('malformed-test')).toEqual({ ComplaintSubmitted: 6, ComplaintVerified: 5, ComplaintDisposed: 5, FollowUpPosted: 5 });
  });

  it('given events that trickle in one by one, when a consumer applies them, then it gathers them into fewer transactions than events', async () => {
    // last: its events would change the totals the tests above count
    const trickled = `complaint-${randomUUID()}`;
    const transactions = new Set<string>();
    const recording: EventHandler = {
      name: 'trickle-test',
      async handle(event: EventEnvelope, tx: SqlQueryable) {
        if (`complaint-${event.complaintId}` !== trickled) return;
        const [row] = await tx.query<{ id: string }>('SELECT pg_current_xact_id()::text AS id');
        transactions.add(row!.id);
        await countingHandler('trickle-test').handle(event, tx);
      },
    };
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler: recording, gatherMs: 300 });
    await consumer.start();
    // 12 events of one complaint, 10 ms apart: the relay publishes them as they come
    for (let index = 0; index < 12; index++) {
      await store.appendToStream(trickled, [{ id: randomUUID(), type: 'FollowUpPosted', data: {}, metadata: { schemaVersion: 1 } }]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await until(async () => (await counts('trickle-test')).FollowUpPosted === 12, 'the trickled events counted');
    await consumer.stop();

    // the first goes at once; what comes within the next 300 ms waits for one transaction (a few at most)
    expect(transactions.size).toBeLessThanOrEqual(3);
  });
});
