import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { createTestDatabase, repoRoot, type TestDatabase } from '@lapor/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { collectEventIds } from './support';

// A broker of this test's own (other ports, other folder), so killing it disturbs no other test.
// a port pair of its own per run, so two runs of this file on one machine (a CI and a developer) do not share a broker
const PORT = 10_000 + 2 * Math.floor(Math.random() * 4_500);
const brokerEnv = (state: string) => ({ ...process.env, KAFKA_PORT: String(PORT), KAFKA_CONTROLLER_PORT: String(PORT + 1), LAPOR_STATE: state });
const kafkaScript = (command: 'up' | 'kill' | 'down', state: string): void => {
  execFileSync('bash', [join(repoRoot(), 'infra', 'kafka.sh'), command], { env: brokerEnv(state), stdio: ['ignore', 'ignore', 'ignore'], timeout: 120_000 });
};

describe('the relay when the broker dies', () => {
  let state: string;
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let relay: Relay | undefined;

  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'lapor-kafka-fault-'));
    kafkaScript('up', state);
    database = await createTestDatabase('relay_fault');
    pool = new Pool({ connectionString: database.url, max: 5 });
    pool.on('error', () => undefined); // cut-off connections at teardown are expected
    store = await createPostgresEventStore({ pool });
  });
  afterAll(async () => {
    await relay?.stop();
    await store.close();
    await pool.end();
    await database.drop();
    kafkaScript('down', state);
    rmSync(state, { recursive: true, force: true });
  });

  it('given a steady stream of complaints, when the broker is SIGKILLed mid-way and restarted, then every event arrives', async () => {
    const kafka = new Kafka({ clientId: 'fault-test', brokers: [`127.0.0.1:${PORT}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const topic = `fault-${randomBytes(4).toString('hex')}`;
    const checkpoints = await CheckpointStore.open(createPgRunner(pool, { ownsPool: false }));
    relay = new Relay({ store, checkpoints, kafka, logger: pino({ level: 'silent' }), topic, name: topic, partitions: 3, retryMs: { first: 100, max: 1_000 } });
    await relay.start();

    const written: string[] = [];
    const submit = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        await store.appendToStream(`complaint-${randomUUID()}`, [{ id, type: 'ComplaintSubmitted', data: { i }, metadata: { schemaVersion: 1 } }]);
        written.push(id);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await submit(100);
    kafkaScript('kill', state); // the broker process, as a crash
    await submit(100); // requests go on while Kafka is away
    const whileDown = relay.status();
    kafkaScript('up', state);
    await submit(100);

    // all of it, read back from the restarted broker
    const { seen, messages } = await collectEventIds(kafka, topic, written.length, 90_000);

    expect(whileDown.kafkaAvailable).toBe(false);
    expect([...seen].sort()).toEqual([...written].sort());
    // a batch in flight when the broker died may be sent twice; the idempotent producer usually prevents it
    expect(messages).toBeGreaterThanOrEqual(written.length);
  });

  it('given a caught-up relay, when the broker dies and events keep coming, then within seconds it counts them as lag and says Kafka is unavailable; when the broker is back, both recover', async () => {
    // the client as services/relay/src/main.ts makes it: kafkajs' own retries, the idempotent producer retrying without end
    const kafka = new Kafka({ clientId: 'lapor-relay', brokers: [`127.0.0.1:${PORT}`], logLevel: logLevel.NOTHING });
    const topic = `outage-${randomBytes(4).toString('hex')}`;
    const checkpoints = await CheckpointStore.open(createPgRunner(pool, { ownsPool: false }));
    const watched = new Relay({
      store,
      checkpoints,
      kafka,
      logger: pino({ level: 'silent' }),
      topic,
      name: topic,
      partitions: 3,
      publishStalledAfterMs: 1_000,
    });
    const append = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await store.appendToStream(`complaint-${randomUUID()}`, [
          { id: randomUUID(), type: 'ComplaintSubmitted', data: { i }, metadata: { schemaVersion: 1 } },
        ]);
      }
    };
    const eventually = async (check: () => boolean, boundMs: number): Promise<boolean> => {
      const deadline = Date.now() + boundMs;
      while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return check();
    };
    try {
      // the log already holds the first test's events: this relay starts by publishing them
      await watched.start();
      await append(5);
      expect(await eventually(() => watched.status().lagEvents === 0 && watched.status().kafkaAvailable, 60_000)).toBe(true);

      kafkaScript('kill', state);
      await append(50);
      // a protocol bound: the stall threshold (1 s) plus a lag count (every second)
      expect(await eventually(() => watched.status().lagEvents === 50 && watched.status().lastError !== null, 4_000)).toBe(true);
      expect(watched.status()).toMatchObject({ kafkaAvailable: false, lagEvents: 50 });

      kafkaScript('up', state);
      expect(await eventually(() => watched.status().lagEvents === 0 && watched.status().lastError === null, 90_000)).toBe(true);
      expect(watched.status().kafkaAvailable).toBe(true);
    } finally {
      await watched.stop();
    }
  });
});
