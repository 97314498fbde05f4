import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { keepConsuming, prepareAppliedPositions, type EventHandler } from '../src';

// A read side fed by Kafka that starts far behind its topic (a new group, a long outage) is a
// member of its group long before its tables are whole: with a lag bound it is not ready until then.

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a Kafka-fed read side’s readiness', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase('ready_by_lag');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given 30 events on the topic and a read side held back, when it has joined its group, then it is not ready until within 5 events of the end', async () => {
    const brokers = await testKafkaBrokers();
    const topic = `lagging-${randomBytes(4).toString('hex')}`;
    const settings = { LAPOR_TOPIC_PARTITIONS: 1, LAPOR_TOPIC_REPLICATION: 1, LAPOR_TOPIC_RETENTION_MS: -1 };
    const relay = new Relay({
      store,
      checkpoints: await CheckpointStore.open(db),
      kafka: new Kafka({ clientId: 'lagging-relay', brokers, logLevel: logLevel.NOTHING }),
      logger: pino({ level: 'silent' }),
      topic,
      name: topic,
    });
    await relay.start();
    for (let n = 0; n < 30; n++) {
      await store.appendToStream(`complaint-${randomUUID()}`, [{ id: randomUUID(), type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
    }
    let applied = 0;
    let held = true;
    let consuming = false;
    const handler: EventHandler = {
      name: 'lagging',
      async handle() {
        consuming = true;
        while (held) await new Promise((resolve) => setTimeout(resolve, 50));
        applied++;
      },
    };
    const kept = keepConsuming(
      { brokers, log: pino({ level: 'silent' }), readyWithinMessages: 5 },
      { topic, groupId: `lapor.${topic}`, db, handler, topicSettings: settings },
    );
    try {
      // a member consuming (held at its first event), its lag measured at least twice since
      await until(() => consuming, 'the first event');
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(kept.checks()).toEqual({ kafkaConsumer: 'unavailable' });

      held = false;
      await until(() => kept.checks().kafkaConsumer === 'ok', 'ready');
      expect(applied).toBeGreaterThanOrEqual(25);
    } finally {
      await relay.stop();
      await kept.close();
    }
  });
});
