import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createTestDatabase, repoRoot, testKafkaBrokers, type TestDatabase } from '@lapor/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { collectEventIds } from './support';

// The relay as operators run it (its own process), SIGKILLed in the middle of publishing.
describe('the relay process killed mid-batch', () => {
  let database: TestDatabase;
  let store: EventStore;
  let brokers: string[];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('relay_crash');
    store = await createPostgresEventStore({ connectionString: database.url });
    brokers = await testKafkaBrokers();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await store.close();
    await database.drop();
  });

  const startRelay = (topic: string, port: number): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot(), 'services', 'relay', 'src', 'main.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        KAFKA_BROKERS: brokers.join(','),
        LAPOR_TOPIC: topic,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        LAPOR_RELAY_BATCH_SIZE: '10',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const published = async (port: number): Promise<number> => {
    try {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/lapor_relay_published_total (\d+)/.exec(metrics)?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  const until = async (predicate: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 60_000;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('given SIGKILL while publishing, when it is started again, then no event is missing (a repeat is allowed)', async () => {
    const topic = `relay-crash-${randomBytes(4).toString('hex')}`;
    const written: string[] = [];
    const write = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        await store.appendToStream(`complaint-${randomUUID()}`, [{ id, type: 'ComplaintSubmitted', data: { i }, metadata: { schemaVersion: 1 } }]);
        written.push(id);
      }
    };
    await write(400);

    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const first = startRelay(topic, port);
    await until(async () => (await published(port)) > 0, 'the first batches');
    const beforeKill = await published(port);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    await write(100);
    startRelay(topic, port + 1);

    const kafka = new Kafka({ clientId: 'crash-check', brokers, logLevel: logLevel.NOTHING });
    const { seen, messages } = await collectEventIds(kafka, topic, written.length, 60_000);
    expect(beforeKill).toBeLessThan(400); // it died with most of the log still to send
    expect(seen.size).toBe(written.length);
    expect([...seen].sort()).toEqual([...written].sort());
    expect(messages).toBeGreaterThanOrEqual(written.length);
  });

  it('given a running relay, then it answers on the edge every service has (live, ready once caught up, metrics), and on SIGTERM it stops with exit code 0', async () => {
    const topic = `relay-edge-${randomBytes(4).toString('hex')}`;
    await store.appendToStream(`complaint-${randomUUID()}`, [{ id: randomUUID(), type: 'ComplaintSubmitted', data: {}, metadata: { schemaVersion: 1 } }]);
    const port = 30_000 + Math.floor(Math.random() * 10_000);
    const relay = startRelay(topic, port);
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
    await until(async () => (await get('/health/ready'))?.status === 200, 'ready');

    const live = await get('/health/live');
    expect(live?.status).toBe(200);
    const ready = (await (await get('/health/ready'))!.json()) as { status: string; lagEvents: number };
    expect(ready).toMatchObject({ status: 'ok', lagEvents: expect.any(Number) });
    await until(async () => (await published(port)) > 0, 'something published');
    expect(await (await get('/metrics'))!.text()).toMatch(/# TYPE lapor_relay_lag_seconds gauge/);
    const unknown = await get('/nothing-here');
    expect(unknown?.status).toBe(404);
    expect(unknown?.headers.get('content-type')).toContain('application/problem+json');

    const exited = new Promise<number | null>((resolve) => relay.once('exit', resolve));
    relay.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
