import { INBOUND_PATH, PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, TIMESTAMP_HEADER } from '@lapor/sms';
import { startTracing, type Tracing } from '@lapor/tracing';
import { randomUUID } from 'node:crypto';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import type { HttpClient } from './support/http';
import { OtlpReceiver } from '@lapor/testing';
import { httpClient } from './support/http';
import { readUntil } from './support/eventually';
import { RecordingServer } from './support/recording-server';

const PASSWORD = 'tracing-pw';
const JWT_SECRET = 'tracing-secret-tracing-secret-tracing';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments', 'webhooks', 'sms'] as const;
const TITLE = 'Lampu jalan padam';
const SMS_SECRET = 'telco-secret-tracing-distributed-0123';
const PHONE = '0812-5555-2718';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
// the webhook receiver is on this machine: allowed as an operator would list it, for the gateway and the service alike
const ALLOW_LOCAL_RECEIVERS = { LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true', LAPOR_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' };

// The distributed deployment with OTEL_EXPORTER_OTLP_ENDPOINT set in every process, exporting to a
// collector this test runs: one complaint submitted through the gateway is one trace, from the
// gateway's request to the follow-up service applying the event it caused, across the Kafka hop,
// and on to what leaves the system because of it (a webhook post, an SMS to the reporter).
describe('one trace across the processes, distributed mode', () => {
  const receiver = new OtlpReceiver();
  let set: DistributedSet;
  let tracing: Tracing;
  let http: HttpClient;
  const webhookReceiver = new RecordingServer();
  const smsProvider = new RecordingServer();

  beforeAll(async () => {
    const webhookUrl = await webhookReceiver.start('/lapor/webhook');
    const smsUrl = await smsProvider.start('/send');
    const endpoint = await receiver.listen();
    tracing = startTracing('gateway', endpoint);
    set = await startDistributedSet({
      label: 'tracing',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SERVICES,
      kafka: {
        topicPrefix: 'tracing',
        // one group per read side: the inbox's (follow-up), the webhook outbox's and the SMS notifier's
        consumerGroup: (name, topic) => `${topic}.${name === 'webhooks' || name === 'sms' ? name : 'inbox'}`,
      },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        ...ALLOW_LOCAL_RECEIVERS,
        LAPOR_WEBHOOK_DISPATCH_EVERY_MS: '200',
        LAPOR_SMS_PROVIDERS: `telco:${SMS_SECRET}`,
        LAPOR_SMS_OUTBOUND_URL: smsUrl,
        LAPOR_SMS_DISPATCH_EVERY_MS: '100',
      },
      gatewayEnv: ALLOW_LOCAL_RECEIVERS,
    });
    ({ http } = set);
    const token = await http.token('admin-ntt', PASSWORD);
    // set-up, not the subject: one CI run saw a 404 here just after start (not reproduced; see the
    // stop-30 note), so the subscription is asked again for a few seconds before the test gives up
    const subscribed = await readUntil(
      () => http.post('/webhooks/subscriptions', { url: webhookUrl, eventTypes: ['ComplaintSubmitted'] }, { token }),
      (answer) => answer.status !== 404,
      10_000,
    );
    expect(subscribed.status).toBe(201);
  });
  afterAll(async () => {
    await set?.close();
    await tracing?.shutdown();
    await receiver.close();
    await webhookReceiver.close();
    await smsProvider.close();
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

  it('given a complaint that came by SMS, when NTT disposes it through the gateway, then the notice SMS the SMS service sends is in the disposition request’s trace: gateway → disposition → append → relay publish → the sms-notifier apply → the send', async () => {
    const body = JSON.stringify({ messageId: randomUUID(), from: PHONE, text: 'NTT pipa air bersih bocor di Oebobo' });
    const timestamp = Math.floor(Date.now() / 1000);
    // the provider posts to the SMS service directly: its signature covers bytes a proxy would not keep
    const inbound = await httpClient(set.serviceUrls.sms!).post(INBOUND_PATH, JSON.parse(body), {
      headers: { [PROVIDER_HEADER]: 'telco', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signSmsWebhook(SMS_SECRET, timestamp, body) },
    });
    expect(inbound.status).toBeLessThan(300);
    const { events } = await set.stores.store.readGlobalLog({ transactionId: 0n, position: 0n }, 1000);
    const bySms = events.find((event) => event.type === 'ComplaintSubmitted' && (event.data as { channel?: string }).channel === 'sms_1708');
    const complaintId = (bySms?.data as { complaintId: string }).complaintId;
    const adminNtt = { token: await http.token('admin-ntt', PASSWORD) };

    // a verification changes nothing the reporter sees; the disposition that follows is told by SMS
    const verified = await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' }, adminNtt);
    expect(verified.status).toBe(200);
    const disposed = await http.post(`/complaints/${complaintId}/dispositions`, { to: PUPR }, adminNtt);
    expect(disposed.status).toBe(200);

    const atGateway = await receiver.waitFor(
      'the disposition at the gateway',
      (s) => s.service === 'gateway' && s.name === 'POST /complaints/:complaintId/dispositions',
    );
    const inTrace = (service: string, name: string) =>
      receiver.waitFor(`${name} in ${service}`, (s) => s.service === service && s.name === name && s.traceId === atGateway.traceId);
    const atDisposition = await inTrace('disposition', 'POST /complaints/:complaintId/dispositions');
    const append = await inTrace('disposition', 'event-store append');
    const publish = await receiver.waitFor(
      'the relay’s publish of the disposition',
      (s) => s.service === 'relay' && s.name === 'relay publish' && s.traceId === atGateway.traceId && s.parentSpanId === append.spanId,
    );
    const apply = await receiver.waitFor(
      'the sms-notifier apply',
      (s) => s.service === 'sms' && s.name === 'apply sms-notifier' && s.traceId === atGateway.traceId && s.parentSpanId === publish.spanId,
    );
    const send = await receiver.waitFor(
      'the notice SMS sent',
      (s) => s.service === 'sms' && s.name === 'sms send' && s.attributes['lapor.sms_kind'] === 'notice' && s.traceId === atGateway.traceId,
    );

    expect(atDisposition.parentSpanId).toBe(atGateway.spanId);
    expect(append.parentSpanId).toBe(atDisposition.spanId);
    expect(send.parentSpanId).toBe(apply.spanId);
    expect(send.attributes).toEqual(expect.objectContaining({ 'lapor.sms_outcome': 'sent' }));
    // neither the number nor the text in what left the processes
    // what the spans say, not their random hex ids (a span id once held "5555")
    const said = receiver.spans.map(({ service, name, attributes }) => ({ service, name, attributes }));
    expect(JSON.stringify(said)).not.toMatch(/5555|2718|Oebobo|pipa air/);
  });
});
