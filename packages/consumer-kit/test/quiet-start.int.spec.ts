import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { keepConsuming, prepareAppliedPositions, type EventHandler } from '../src';

describe('a read side starting on a topic that was just created', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase('quiet_start');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
    await db.exec('CREATE TABLE seen (event_id text PRIMARY KEY)');
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given Node 24, when a kafkajs producer queues its requests, then Node prints no TimeoutNegativeWarning (kafkajs is patched: infra/patches)', async () => {
    // in a process of its own: Node prints a warning once per process, and jest's sandbox does not see it
    // a producer with one request in flight, as the relay's: its requests queue, and the queue's timer was negative
    const script = `
      const { Kafka, logLevel } = require(${JSON.stringify(require.resolve('kafkajs'))});
      const kafka = new Kafka({ clientId: 'warning-check', brokers: ${JSON.stringify(await testKafkaBrokers())}, logLevel: logLevel.NOTHING });
      const topic = 'warning-check-${randomBytes(4).toString('hex')}';
      (async () => {
        const admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        await Promise.all([1, 2, 3, 4].map((n) => producer.send({ topic, acks: -1, messages: [{ value: String(n) }] })));
        await producer.disconnect();
        await admin.deleteTopics({ topics: [topic] });
        await admin.disconnect();
        console.log('done');
      })();`;
    // without the test runner's NODE_OPTIONS, which may silence warnings
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(stdout).toContain('done');
    expect(stderr).not.toContain('TimeoutNegativeWarning');
  });

  it('given its partitions still electing leaders, when it starts and consumes, then it logs no error line and no warning about its partitioner', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const brokers = await testKafkaBrokers();
    const topic = `quiet-${randomBytes(4).toString('hex')}`;
    const admin = new Kafka({ clientId: 'quiet-admin', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: false }); // and start at once
    await admin.disconnect();
    const handler: EventHandler = {
      name: 'quiet-test',
      async handle(event, tx) {
        await tx.query('INSERT INTO seen (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [event.eventId]);
      },
    };
    const kept = keepConsuming(
      { brokers, log },
      { topic, groupId: `lapor.${topic}`, db, handler, topicSettings: { LAPOR_TOPIC_PARTITIONS: 6, LAPOR_TOPIC_REPLICATION: 1, LAPOR_TOPIC_RETENTION_MS: -1 } },
    );
    const relay = new Relay({
      store,
      checkpoints: await CheckpointStore.open(db),
      kafka: new Kafka({ clientId: 'quiet-relay', brokers, logLevel: logLevel.NOTHING }),
      logger: pino({ level: 'silent' }),
      topic,
      name: topic,
      // named, as the relay service does: kafkajs warns once a process, and the consumer's warning is the one looked for
      partitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await relay.start();
      const id = randomUUID();
      await store.appendToStream(`complaint-${randomUUID()}`, [{ id, type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
      const deadline = Date.now() + 60_000;
      while ((await db.query('SELECT 1 FROM seen WHERE event_id = $1', [id])).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await db.query('SELECT 1 FROM seen WHERE event_id = $1', [id])).toHaveLength(1);
    } finally {
      await relay.stop();
      await kept.close();
    }
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
    // nor kafkajs' warning that it picked a partitioner by itself, at every start of every process
    expect(lines.filter((line) => line.level >= 40 && /partitioner/i.test(line.msg)).map((line) => line.msg)).toEqual([]);
  });
});
