import { startTracing, type Tracing } from '@lapor/tracing';
import { randomUUID } from 'node:crypto';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import type { HttpClient } from './support/http';
import { OtlpReceiver } from './support/otlp-receiver';
import { httpClient } from './support/http';
import { RecordingServer } from './support/recording-server';

const PASSWORD = 'tracing-pw';
const JWT_SECRET = 'tracing-secret-tracing-secret-tracing';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments', 'webhooks'] as const;
const TITLE = 'Lampu jalan padam';

// The distributed deployment with OTEL_EXPORTER_OTLP_ENDPOINT set in every process, exporting to a
// collector this test runs: one complaint submitted through the gateway is one trace, from the
// gateway's request to the follow-up service applying the event it caused, across the Kafka hop.
describe('one trace across the processes, distributed mode', () => {
  const receiver = new OtlpReceiver();
  let set: DistributedSet;
  let tracing: Tracing;
  let http: HttpClient;
  const webhookReceiver = new RecordingServer();

  beforeAll(async () => {
    const webhookUrl = await webhookReceiver.start('/lapor/webhook');
    const endpoint = await receiver.listen();
    tracing = startTracing('gateway', endpoint);
    set = await startDistributedSet({
      label: 'tracing',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SERVICES,
      kafka: {
        topicPrefix: 'tracing',
        // one group per read side: the inbox's (follow-up) and the webhook outbox's
        consumerGroup: (name, topic) => `${topic}.${name === 'webhooks' ? 'webhooks' : 'inbox'}`,
      },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // the test's receiver is on this machine: allowed as an operator would list it
        LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true',
        LAPOR_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
        LAPOR_WEBHOOK_DISPATCH_EVERY_MS: '200',
      },
    });
    ({ http } = set);
    // registered at the webhooks service itself: the gateway's copy of the route checks the URL with
    // production's rule (https, public addresses), and this receiver is plain http on this machine
    const subscribed = await httpClient(set.serviceUrls.webhooks!).post(
      '/webhooks/subscriptions',
      { url: webhookUrl, eventTypes: ['ComplaintSubmitted'] },
      { token: await http.token('admin-ntt', PASSWORD) },
    );
    expect(subscribed.status).toBe(201);
  });
  afterAll(async () => {
    await set?.close();
    await tracing?.shutdown();
    await receiver.close();
    await webhookReceiver.close();
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
