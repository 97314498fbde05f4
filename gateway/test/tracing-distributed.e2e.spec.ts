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
import { RecordingServer } from './support/recording-server';
import { freePort, spawnService, stopAll, waitReady } from './support/processes';
import { serverStores } from './support/stores';

const PASSWORD = 'tracing-pw';
const JWT_SECRET = 'tracing-secret-tracing-secret-tracing';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments', 'webhooks'] as const;
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
  const webhookReceiver = new RecordingServer();

  beforeAll(async () => {
    const webhookUrl = await webhookReceiver.start('/lapor/webhook');
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
          // one group per read side: the inbox's (follow-up) and the webhook outbox's
          LAPOR_CONSUMER_GROUP: `${topic}.${name === 'webhooks' ? 'webhooks' : 'inbox'}`,
          DATABASE_URL: opened.url,
          LAPOR_JWT_SECRET: JWT_SECRET,
          LAPOR_MASTER_KEY: keyBytes.toString('base64'),
          PORT: String(ports[index]),
          LAPOR_TRUST_PROXY: '127.0.0.1',
          // the test's receiver is on this machine: allowed as an operator would list it
          LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true',
          LAPOR_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
          LAPOR_WEBHOOK_DISPATCH_EVERY_MS: '200',
        }),
      );
    });
    await waitReady(Object.values(serviceUrls));
    // registered at the webhooks service itself: the gateway's copy of the route checks the URL with
    // production's rule (https, public addresses), and this receiver is plain http on this machine
    const subscribed = await httpClient(serviceUrls.webhooks!).post(
      '/webhooks/subscriptions',
      { url: webhookUrl, eventTypes: ['ComplaintSubmitted'] },
      { token: await http.token('admin-ntt', PASSWORD) },
    );
    expect(subscribed.status).toBe(201);
  });
  afterAll(async () => {
    await stopAll(children);
    await gateway?.close();
    await tracing?.shutdown();
    await receiver.close();
    await webhookReceiver.close();
    await stores?.close();
  });

  it('given every process tracing, when a citizen submits through the gateway, then gateway → intake → append → relay publish → the inbox apply, and the webhooks apply → the webhook post, are one trace, each span the parent of the next', async () => {
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

    // the webhook the event caused, posted by the webhooks service under its own apply of the event
    const enqueued = await receiver.waitFor(
      'the webhooks apply',
      (s) => s.service === 'webhooks' && s.name === 'apply webhooks' && s.traceId === atGateway.traceId,
    );
    const post = await receiver.waitFor('the webhook post', (s) => s.service === 'webhooks' && s.name === 'webhook deliver' && s.traceId === atGateway.traceId);

    expect(atIntake.parentSpanId).toBe(atGateway.spanId);
    expect(append.parentSpanId).toBe(atIntake.spanId);
    expect(publish.parentSpanId).toBe(append.spanId);
    // across the Kafka hop: the apply's parent is the publish span, whose traceparent rode in the message's headers
    expect(apply.parentSpanId).toBe(publish.spanId);
    expect(enqueued.parentSpanId).toBe(publish.spanId);
    expect(post.parentSpanId).toBe(enqueued.spanId);
    // and the receiver got the post's traceparent: its own work can join the trace
    const delivered = webhookReceiver.requests.find((request) => request.body.complaintId === submitted.body.complaintId);
    expect(delivered?.headers.traceparent).toBe(`00-${atGateway.traceId}-${post.spanId}-01`);
    // no personal data or complaint text in what left the processes
    const exported = JSON.stringify(receiver.spans);
    expect(exported).not.toContain(TITLE);
    expect(exported).not.toContain('El Tari');
  });
});
