import { loadCalendar } from '@lapor/calendar';
import { KafkaEventConsumer, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createStatisticsProjection, prepareStatisticsTables, queryUnitRecap, unitRecap } from '@lapor/statistics';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { appendHistories, randomHistories, RecapQuestion } from '../../../packages/statistics/test/random-histories';
import { tree } from '../../../packages/statistics/test/story';

const calendar = loadCalendar();

// The oracle in the distributed shape: events go from the log through the relay to a real Kafka
// broker, the statistics consumer applies them on PostgreSQL, and the recap it serves still equals
// the fold of the log, for random periods and moments.

describe('the recap read model fed over Kafka against the event log', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let db: SqlRunner;
  let relay: Relay;
  let consumer: KafkaEventConsumer;
  const histories: ComplaintEvent[][] = randomHistories(80, 4242);

  beforeAll(async () => {
    database = await createTestDatabase('statistics-kafka');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    store = await createPostgresEventStore({ pool });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);
    await appendHistories(store, histories);

    const topic = `oracle-${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({ clientId: 'statistics-oracle', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const logger = pino({ level: 'silent' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    relay = new Relay({ store, checkpoints: await CheckpointStore.open(db), kafka, logger, topic, name: topic, partitions: 3 });
    await relay.start();
    const handler = createStatisticsProjection({ tree: () => tree, calendar: () => calendar });
    consumer = new KafkaEventConsumer({ kafka, topic, handler, db, logger, groupId: `${topic}-statistics` });
    await consumer.start();

    // caught up when every complaint's last event is applied
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [row] = await db.query<{ n: string }>(
        `SELECT coalesce(sum(stream_version + 1), 0)::text AS n FROM consumers.applied WHERE consumer = 'statistics'`,
      );
      if (Number(row!.n) === histories.reduce((sum, events) => sum + events.length, 0)) break;
      if (Date.now() > deadline) throw new Error(`the consumer applied ${row!.n} events in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given random histories delivered over Kafka, for random periods and moments, then the served recap equals the fold of the log', async () => {
    await fc.assert(
      fc.asyncProperty(RecapQuestion, async (query) => {
        expect(await queryUnitRecap(db, tree, query)).toEqual(unitRecap(histories, tree, query));
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
