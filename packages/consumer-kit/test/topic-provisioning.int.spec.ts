import { prepareAppliedPositions } from '../src/apply-once';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { KafkaEventConsumer, type EventHandler } from '../src';

const SETTINGS = { LAPOR_TOPIC_PARTITIONS: 12, LAPOR_TOPIC_REPLICATION: 1, LAPOR_TOPIC_RETENTION_MS: -1 };
const nothing: EventHandler = { name: 'provisioning-test', handle: async () => undefined };

describe('the topics a read side needs', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let kafka: Kafka;

  beforeAll(async () => {
    database = await createTestDatabase('topic_provisioning');
    pool = new Pool({ connectionString: database.url, max: 3 });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    kafka = new Kafka({ clientId: 'provisioning-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given the topic does not exist, when a read side starts, then the start fails naming the topic and the relay, and creates nothing', async () => {
    const topic = `missing-${randomBytes(4).toString('hex')}`;
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger: pino({ level: 'silent' }), handler: nothing, topicSettings: SETTINGS });
    await expect(consumer.start()).rejects.toThrow(`topic ${topic} does not exist: the relay provisions it`);
    await consumer.stop();
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).not.toContain(topic);
  });

  it('given a topic of 3 partitions while 12 are configured, when a read side starts, then it says so in an error line and provisions its dead-letter topic with 12', async () => {
    const topic = `few-${randomBytes(4).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const consumer = new KafkaEventConsumer({ kafka, topic, db, logger, handler: nothing, topicSettings: SETTINGS });
    try {
      await consumer.start();
      const { topics } = await admin.fetchTopicMetadata({ topics: [consumer.deadLetterTopic] });
      expect(topics[0]?.partitions).toHaveLength(12);
    } finally {
      await consumer.stop();
      await admin.disconnect();
    }
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([
      `topic ${topic} has 3 partitions, fewer than the 12 configured (LAPOR_TOPIC_PARTITIONS): at most 3 members of lapor.provisioning-test get work; was it created by someone else before the relay?`,
    ]);
  });
});
