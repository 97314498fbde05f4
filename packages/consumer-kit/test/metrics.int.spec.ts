import { exposition } from '@lapor/metrics';
import { createPgRunner } from '@lapor/sql';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { keepConsuming, prepareAppliedPositions } from '../src';

async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the metrics of a read side fed by Kafka', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('metrics_kafka');
    pool = new Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given a consumer group behind on its topic, when /metrics is scraped, then its lag is reported per partition and its dead letters are exported', async () => {
    const brokers = await testKafkaBrokers();
    const topic = `metrics-${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({ clientId: 'metrics-test', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    // a message no consumer can read: it goes to the dead-letter topic at once
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'a', value: 'not a complaint event', partition: 1 }] });
    await producer.disconnect();
    await admin.disconnect();
    const db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    const groupId = `lapor.${topic}`;
    const kept = keepConsuming(
      { brokers, log: pino({ level: 'silent' }) },
      { topic, groupId, db, handler: { name: `metrics-${topic}`, handle: async () => undefined } },
    );
    try {
      // the malformed message goes to the dead-letter topic; the group then has nothing left to apply
      const deadLettered = `lapor_dead_letters_total{consumer="metrics-${topic}",reason="malformed"} 1`;
      const caughtUp = `lapor_kafka_consumer_lag_messages{group="${groupId}",topic="${topic}",partition="1"} 0`;
      const text = await readUntil(
        async () => (await exposition()).body,
        (body) => body.includes(deadLettered) && body.includes(caughtUp),
        60_000,
      );
      expect(text).toContain(deadLettered);
      expect(text).toContain(caughtUp);
      expect(text).toContain(`lapor_kafka_consumer_lag_messages{group="${groupId}",topic="${topic}",partition="0"} 0`);
    } finally {
      await kept.close();
    }
  });
});
