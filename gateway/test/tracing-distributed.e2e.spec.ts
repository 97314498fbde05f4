import type { Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { testKafkaBrokers } from '@lapor/testing';
import { startTracing, type Tracing } from '@lapor/tracing';
import type { FastifyInstance } from 'fastify';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { OtlpReceiver } from './support/otlp-receiver';
import { freePort, spawnService, stopAll, waitReady } from './support/processes';
import { serverStores } from './support/stores';

const PASSWORD = 'tracing-pw';
const JWT_SECRET = 'tracing-secret-tracing-secret-tracing';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments'] as const;
const TITLE = 'Lampu jalan padam';

// The distributed deployment with OTEL_EXPORTER_OTLP_ENDPOINT set in every process, exporting to a
// collector this test runs: one complaint submitted through the gateway is one trace, from the
// gateway's request to the follow-up service applying the event it caused, across the Kafka hop.
describe('one trace across the processes, distributed mode', () => {
  const keyBytes = randomBytes(32);
  const receiver = new OtlpReceiver();
  const children: ChildProcess[] = [];
  let stores: Stores;
  let tracing: Tracing;
  let gateway: FastifyInstance;
  let http: HttpClient;

  beforeAll(async () => {
    const endpoint = await receiver.listen();
    // this test process is the gateway: its tracing starts before the app is built, as main.ts does
    tracing = startTracing('gateway', endpoint);
    const opened = await serverStores('tracing', masterKey(keyBytes));
    stores = opened;
    const serviceUrls: Record<string, string> = {};
    const ports = await Promise.all(SERVICES.map(() => freePort()));
    SERVICES.forEach((name, index) => (serviceUrls[name] = `http://127.0.0.1:${ports[index]}`));
    ({ app: gateway } = await buildGateway({
      ...stores,
      jwtSecret: JWT_SECRET,
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      serviceUrls,
    }));
    http = httpClient(await gateway.listen({ port: 0, host: '127.0.0.1' }));

    const brokers = (await testKafkaBrokers()).join(',');
    const topic = `tracing-${randomBytes(4).toString('hex')}`;
    const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
    const relayPort = await freePort();
    children.push(spawnService('relay', { ...traced, DATABASE_URL: opened.url, KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, PORT: String(relayPort) }));
    await waitReady([`http://127.0.0.1:${relayPort}`]);
    SERVICES.forEach((name, index) => {
      children.push(
        spawnService(name, {
          ...traced,
          KAFKA_BROKERS: brokers,
          LAPOR_TOPIC: topic,
          LAPOR_CONSUMER_GROUP: `${topic}.inbox`,
          DATABASE_URL: opened.url,
          LAPOR_JWT_SECRET: JWT_SECRET,
          LAPOR_MASTER_KEY: keyBytes.toString('base64'),
          PORT: String(ports[index]),
          LAPOR_TRUST_PROXY: '127.0.0.1',
        }),
      );
    });
    await waitReady(Object.values(serviceUrls));
  });
  afterAll(async () => {
    await stopAll(children);
    await gateway?.close();
    await tracing?.shutdown();
    await receiver.close();
    await stores?.close();
  });

  it('given every process tracing, when a citizen submits through the gateway, then gateway → intake → append → relay publish → the inbox apply are one trace, each span the parent of the next', async () => {
    const submitted = await http.post<{ complaintId: string }>(
      '/complaints',
      { kind: 'pengaduan', channel: 'web', title: TITLE, description: 'Di Jalan El Tari, Kupang', addressedTo: NTT_ID },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(submitted.status).toBe(201);
    const atGateway = await receiver.waitFor('POST /complaints at the gateway', (s) => s.service === 'gateway' && s.name === 'POST /complaints');
    const atIntake = await receiver.waitFor(
      'POST /complaints at intake',
      (s) => s.service === 'intake' && s.name === 'POST /complaints' && s.traceId === atGateway.traceId,
    );
    const append = await receiver.waitFor(
      'event-store append in intake',
      (s) => s.service === 'intake' && s.name === 'event-store append' && s.traceId === atGateway.traceId,
    );
    const publish = await receiver.waitFor('relay publish', (s) => s.service === 'relay' && s.name === 'relay publish' && s.traceId === atGateway.traceId);
    const apply = await receiver.waitFor(
      'the inbox apply in follow-up',
      (s) => s.service === 'follow-up' && s.name.startsWith('apply ') && s.traceId === atGateway.traceId,
    );

    expect(atIntake.parentSpanId).toBe(atGateway.spanId);
    expect(append.parentSpanId).toBe(atIntake.spanId);
    expect(publish.parentSpanId).toBe(append.spanId);
    // across the Kafka hop: the apply's parent is the publish span, whose traceparent rode in the message's headers
    expect(apply.parentSpanId).toBe(publish.spanId);
    // no personal data or complaint text in what left the processes
    const exported = JSON.stringify(receiver.spans);
    expect(exported).not.toContain(TITLE);
    expect(exported).not.toContain('El Tari');
  });
});
