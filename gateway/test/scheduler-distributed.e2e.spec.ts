import type { Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { testKafkaBrokers } from '@lapor/testing';
import type { FastifyInstance } from 'fastify';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import { httpClient, type HttpClient } from './support/http';
import { freePort, spawnService, stopAll, waitReady } from './support/processes';
import { serverStores } from './support/stores';

const PASSWORD = 'scheduler-distributed-pw';
const JWT_SECRET = 'scheduler-distributed-secret-scheduler';

interface Timer {
  kind: string;
  stage: string;
  status: string;
  dueAt: string;
}

// The scheduler run alone, as the distributed deployment runs it: intake writes the events, the
// relay publishes them to Kafka, and the scheduler service plans timers from its own consumer group
// (feed 'external'). The gateway forwards the scheduler's routes and has no planner of its own, so
// the only way a timer reaches the list is through Kafka. The wall clock: nothing is due yet.
describe('the scheduler in distributed mode: relay → Kafka → the scheduler service, read through the gateway', () => {
  const keyBytes = randomBytes(32);
  // a topic and a group of this run's own: runs on one broker neither share events nor offsets
  const run = randomBytes(4).toString('hex');
  const topic = `lapor.complaint-events.test-${run}`;
  const groupId = `lapor.scheduler.test-${run}`;
  const children: ChildProcess[] = [];
  let stores: Stores;
  let gateway: FastifyInstance;
  let http: HttpClient;
  let databaseUrl: string;
  let brokers: string;
  const common = () => ({
    DATABASE_URL: databaseUrl,
    LAPOR_JWT_SECRET: JWT_SECRET,
    LAPOR_MASTER_KEY: keyBytes.toString('base64'),
    LAPOR_TRUST_PROXY: '127.0.0.1',
  });

  beforeAll(async () => {
    const opened = await serverStores('scheduler_distributed', masterKey(keyBytes));
    stores = opened;
    databaseUrl = opened.url;
    brokers = (await testKafkaBrokers()).join(',');
    const [schedulerPort, intakePort, relayPort, nobody] = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    const schedulerUrl = `http://127.0.0.1:${schedulerPort}`;
    const intakeUrl = `http://127.0.0.1:${intakePort}`;
    // only intake's routes are called here: the other workflow services are named (distributed mode
    // needs every URL) at a port nobody listens on
    const elsewhere = `http://127.0.0.1:${nobody}`;
    const serviceUrls = { intake: intakeUrl, verification: elsewhere, disposition: elsewhere, 'follow-up': elsewhere, scheduler: schedulerUrl };
    // the gateway first: it seeds the organisation the services load when they start
    ({ app: gateway } = await buildGateway({
      ...stores,
      jwtSecret: JWT_SECRET,
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      serviceUrls,
    }));
    http = httpClient(await gateway.listen({ port: 0, host: '127.0.0.1' }));

    children.push(spawnService('intake', { ...common(), PORT: String(intakePort) }));
    children.push(
      spawnService('scheduler', { ...common(), PORT: String(schedulerPort), KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId }),
    );
    children.push(spawnService('relay', { DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, PORT: String(relayPort) }));
    // the scheduler is ready once its consumer has joined the group; the relay, once it reaches Kafka
    await waitReady([intakeUrl, schedulerUrl, `http://127.0.0.1:${relayPort}`]);
  });
  afterAll(async () => {
    await stopAll(children);
    await gateway?.close();
    await stores?.close();
  });

  it('given a complaint just submitted, then its verification breach timer is listed as pending, due after it came in', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Air PDAM keruh',
      description: 'Di Kelurahan Oesapa sejak minggu lalu.',
      addressedTo: NTT_ID,
    });
    expect(submitted.status).toBe(201);
    const submittedAt = Date.now();

    const breach = (timers: Timer[]) => timers.find((timer) => timer.kind === 'breach' && timer.stage === 'verification');
    const timers = await readUntil(
      async () => {
        const answer = await http.get<{ timers: Timer[] }>(`/complaints/${submitted.body.complaintId}/timers`, admin);
        expect(answer.status).toBe(200);
        return answer.body.timers;
      },
      (list) => breach(list) !== undefined,
      90_000,
    );
    expect(breach(timers)).toMatchObject({ status: 'pending' });
    expect(Date.parse(breach(timers)!.dueAt)).toBeGreaterThan(submittedAt);
  });

  it('forwards the policy routes: Admin Nasional reads the policy, a liaison may not change it, and bad input is refused at the door', async () => {
    const nasional = { token: await http.token('admin-nasional', PASSWORD) };
    const liaison = { token: await http.token('penghubung-pupr', PASSWORD) };
    const policy = await http.get<{ version: number; configuration: Record<string, unknown> }>('/scheduler/policy', nasional);
    expect(policy.status).toBe(200);
    expect(policy.body.version).toBe(0);
    expect((await http.put('/scheduler/policy', { replacesVersion: 0, configuration: policy.body.configuration }, liaison)).status).toBe(403);

    const bad = await http.put('/scheduler/policy', { replacesVersion: -1, configuration: {} }, nasional);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const document = await http.get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/scheduler/policy', '/scheduler/calendar/years', '/complaints/{complaintId}/timers']),
    );
  });

  it('given a scheduler service whose Kafka is out of reach, then it is live but not ready, and says its consumer is why', async () => {
    const port = await freePort();
    const nowhere = `127.0.0.1:${await freePort()}`;
    const cutOff = spawnService(
      'scheduler',
      { ...common(), PORT: String(port), KAFKA_BROKERS: nowhere, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: `${groupId}.cut-off` },
      { quiet: true }, // it logs its failed connections, as it should
    );
    children.push(cutOff);
    const url = `http://127.0.0.1:${port}`;
    const live = await readUntil(
      () =>
        fetch(`${url}/health/live`).then(
          (r) => r.ok,
          () => false,
        ),
      (ok) => ok,
      90_000,
    );
    expect(live).toBe(true);

    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { kafkaConsumer: 'unavailable' } });
  });
});
