import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, repoRoot, type TestDatabase } from '@lapor/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { keepConsuming, prepareAppliedPositions, type EventHandler, type KeptConsumer } from '../src';

// A broker of this test's own (other ports, other folder): restarting it disturbs no other test.
// a port pair of its own per run, so two runs of this file on one machine (a CI and a developer) do not share a broker
const PORT = 10_000 + 2 * Math.floor(Math.random() * 4_500);
const BROKER = `127.0.0.1:${PORT}`;
const brokerEnv = (state: string) => ({ ...process.env, KAFKA_PORT: String(PORT), KAFKA_CONTROLLER_PORT: String(PORT + 1), LAPOR_STATE: state });
const kafkaScript = (command: 'up' | 'down' | 'kill', state: string): void => {
  execFileSync('bash', [join(repoRoot(), 'infra', 'kafka.sh'), command], { env: brokerEnv(state), stdio: ['ignore', 'ignore', 'ignore'], timeout: 120_000 });
};
const logger = pino({ level: 'silent' });

describe('a read side when the broker restarts', () => {
  let state: string;
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'lapor-kafka-restart-'));
    kafkaScript('up', state);
    database = await createTestDatabase('broker_restart');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined);
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
    await db.exec('CREATE TABLE seen (event_id text PRIMARY KEY)');
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await store.close();
    await pool.end();
    await database.drop();
    kafkaScript('down', state);
    rmSync(state, { recursive: true, force: true });
  });

  const recording: EventHandler = {
    name: 'restart-test',
    async handle(event, tx) {
      await tx.query('INSERT INTO seen (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [event.eventId]);
    },
  };
  const appendOne = async (): Promise<string> => {
    const id = randomUUID();
    await store.appendToStream(`complaint-${randomUUID()}`, [{ id, type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
    return id;
  };
  const applied = async (id: string, boundMs: number): Promise<number | undefined> => {
    const started = Date.now();
    while (Date.now() - started < boundMs) {
      if ((await db.query('SELECT 1 FROM seen WHERE event_id = $1', [id])).length > 0) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  };

  it('given a read side consuming, when the broker is SIGKILLed and restarted, then it consumes again within seconds, as the same member, and is not ready while the broker is away', async () => {
    const topic = `restart-${randomBytes(4).toString('hex')}`;
    const admin = new Kafka({ clientId: 'restart-admin', brokers: [BROKER], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const relayKafka = new Kafka({ clientId: 'restart-relay', brokers: [BROKER], logLevel: logLevel.NOTHING });
    const relay = new Relay({ store, checkpoints: await CheckpointStore.open(db), kafka: relayKafka, logger, topic, name: topic, partitions: 3 });
    await relay.start();
    stops.push(() => relay.stop());
    const kept: KeptConsumer = keepConsuming({ brokers: [BROKER], log: logger }, { topic, groupId: `lapor.${topic}`, db, handler: recording });
    stops.push(() => kept.close());

    expect(await applied(await appendOne(), 60_000)).toBeDefined();

    expect(kept.checks()).toEqual({ kafkaConsumer: 'ok' });

    kafkaScript('kill', state); // as a crash: no member leaves its group
    // longer than kafkajs' default retries (about 10 s): the member rides the outage out, not ready meanwhile
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    expect(kept.checks()).toEqual({ kafkaConsumer: 'unavailable' });
    kafkaScript('up', state); // returns once the broker answers
    const back = Date.now();
    const after = await appendOne();
    const tookMs = await applied(after, 60_000);

    // the same member rejoins at once: here 0.7 s; a new member (kafkajs' default retries given up)
    // waited out the old one's 6 s session (6.2 s), and with kafkajs' 30 s session it took 30.0 s
    expect(tookMs).toBeDefined();
    expect(Date.now() - back).toBeLessThan(20_000);
    const ready = Date.now();
    while (kept.checks().kafkaConsumer !== 'ok' && Date.now() - ready < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kept.checks()).toEqual({ kafkaConsumer: 'ok' });
  });

  it("given a read side consuming, when the broker shuts down cleanly and comes back, then the same member rejoins (the group does not wait out a lost member's session)", async () => {
    const topic = `clean-restart-${randomBytes(4).toString('hex')}`;
    const groupId = `lapor.${topic}`;
    const admin = new Kafka({ clientId: 'clean-restart-admin', brokers: [BROKER], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const relay = new Relay({
      store,
      checkpoints: await CheckpointStore.open(db),
      kafka: new Kafka({ clientId: 'clean-restart-relay', brokers: [BROKER], logLevel: logLevel.NOTHING }),
      logger,
      topic,
      name: topic,
      partitions: 3,
    });
    await relay.start();
    stops.push(() => relay.stop());
    const kept = keepConsuming({ brokers: [BROKER], log: logger }, { topic, groupId, db, handler: recording });
    stops.push(() => kept.close());
    expect(await applied(await appendOne(), 60_000)).toBeDefined();
    // the members once the group is stable (between rebalances it may list none)
    const membersOf = async (): Promise<string[]> => {
      for (;;) {
        const group = (await admin.describeGroups([groupId])).groups[0]!;
        if (group.state === 'Stable' && group.members.length > 0) return group.members.map((member) => member.memberId);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const before = await membersOf();
    await admin.disconnect();

    // a clean shutdown closes every connection at once: kafkajs' consumer crashes and restarts
    // itself, which (unpatched) joined as a new member while the group still counted the old one
    kafkaScript('down', state);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    kafkaScript('up', state);
    expect(await applied(await appendOne(), 60_000)).toBeDefined();

    await admin.connect();
    expect(await membersOf()).toEqual(before);
    await admin.disconnect();
  });
});
