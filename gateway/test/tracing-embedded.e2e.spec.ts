import { REDACTED_PATHS, type Stores } from '@lapor/http-kit';
import { INBOUND_PATH, PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, smsConfigFromEnv, TIMESTAMP_HEADER } from '@lapor/sms';
import { startTracing, traceFields, type Tracing } from '@lapor/tracing';
import type { FastifyInstance } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { OtlpReceiver, type ReceivedSpan } from '@lapor/testing';
import { RecordingServer } from './support/recording-server';
import { embeddedStores } from './support/stores';
import { readUntil } from './support/eventually';

const PASSWORD = 'tracing-embedded-pw';
const SMS_SECRET = 'telco-secret-tracing-0123456789';
const PHONE = '0812-7777-3141';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';

/** The W3C traceparent's parts: version-traceid-parentid-flags. */
const partsOf = (traceparent: unknown) => {
  const [, traceId, parentId] = String(traceparent).split('-');
  return { traceId, parentId };
};

// The embedded default with OTEL_EXPORTER_OTLP_ENDPOINT set: one process, the read sides fed from
// the log in it, the SMS and webhook outboxes sent from it. A request's trace reaches what it caused
// to leave the system: the webhook post (whose traceparent the receiver gets) and the SMS.
describe('traces in embedded mode', () => {
  const receiver = new OtlpReceiver();
  const webhookReceiver = new RecordingServer();
  const smsProvider = new RecordingServer();
  const logLines: Array<Record<string, unknown>> = [];
  let tracing: Tracing;
  let stores: Stores;
  let gateway: FastifyInstance;
  let http: HttpClient;

  beforeAll(async () => {
    tracing = startTracing('gateway', await receiver.listen());
    const [webhookUrl, smsUrl] = [await webhookReceiver.start('/lapor/webhook'), await smsProvider.start('/send')];
    stores = await embeddedStores();
    const sms = smsConfigFromEnv(
      { LAPOR_SMS_PROVIDERS: `telco:${SMS_SECRET}`, LAPOR_SMS_OUTBOUND_URL: smsUrl, LAPOR_SMS_DISPATCH_EVERY_MS: '100' },
      { masterKey: randomBytes(32) },
    );
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    ({ app: gateway } = await buildGateway({
      ...stores,
      jwtSecret: 'tracing-embedded-secret-tracing-embedded',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      runWebhooks: true,
      webhookReceivers: { allowInsecureLocalhost: true, allowNetworks: ['127.0.0.1/32'] },
      sms,
      // as main.ts configures it: each line written inside a span carries its ids
      logger: { level: 'info', redact: REDACTED_PATHS, mixin: traceFields, stream },
    }));
    http = httpClient(await gateway.listen({ port: 0, host: '127.0.0.1' }));
    const adminNtt = await http.token('admin-ntt', PASSWORD);
    const subscribed = await http.post('/webhooks/subscriptions', { url: webhookUrl, eventTypes: ['ComplaintSubmitted'] }, { token: adminNtt });
    expect(subscribed.status).toBe(201);
  });
  afterAll(async () => {
    await gateway?.close();
    await tracing?.shutdown();
    await Promise.all([receiver.close(), webhookReceiver.close(), smsProvider.close()]);
    await stores?.close();
  });

  const childOf = (parent: ReceivedSpan, name: string, matches: (span: ReceivedSpan) => boolean = () => true) =>
    receiver.waitFor(`${name} under ${parent.name}`, (s) => s.name === name && s.traceId === parent.traceId && s.parentSpanId === parent.spanId && matches(s));

  it('given tracing on and an NTT webhook subscriber, when a citizen submits, then request → append → the webhooks apply → the post are one trace, and the receiver is handed the post’s traceparent', async () => {
    const submitted = await http.post<{ complaintId: string }>(
      '/complaints',
      { kind: 'pengaduan', channel: 'web', title: 'Sumur tercemar', description: 'Di Desa Oesao', addressedTo: NTT_ID },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(submitted.status).toBe(201);
    const request = await receiver.waitFor('POST /complaints', (s) => s.name === 'POST /complaints');
    const append = await childOf(request, 'event-store append');
    const apply = await childOf(append, 'apply webhooks');
    const post = await childOf(apply, 'webhook deliver');

    expect(request.attributes).toEqual(expect.objectContaining({ 'http.route': '/complaints', 'http.response.status_code': 201 }));
    expect(post.attributes).toEqual(expect.objectContaining({ 'lapor.event_type': 'ComplaintSubmitted', 'http.response.status_code': 200 }));
    const delivered = webhookReceiver.requests.find((r) => r.body.complaintId === submitted.body.complaintId);
    expect(partsOf(delivered?.headers.traceparent)).toEqual({ traceId: request.traceId, parentId: post.spanId });
    expect(JSON.stringify(receiver.spans)).not.toMatch(/Sumur|Oesao|lapor\/webhook/);
  });

  it('given a complaint that came by SMS, when NTT disposes it to a unit, then the notice SMS is sent in the disposition’s trace, without the number or the text in a span', async () => {
    const body = JSON.stringify({ messageId: randomUUID(), from: PHONE, text: 'NTT jembatan gantung di desa kami putus' });
    const timestamp = Math.floor(Date.now() / 1000);
    const inbound = await http.post<Record<string, unknown>>(INBOUND_PATH, JSON.parse(body), {
      headers: { [PROVIDER_HEADER]: 'telco', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signSmsWebhook(SMS_SECRET, timestamp, body) },
    });
    expect(inbound.status).toBeLessThan(300);
    // the reply to the SMS is sent in the inbound request's trace
    const atInbound = await receiver.waitFor('the inbound SMS request', (s) => s.name === `POST ${INBOUND_PATH}`);
    await childOf(atInbound, 'sms send', (s) => s.attributes['lapor.sms_kind'] === 'reply');
    const { events } = await stores.store.readGlobalLog({ transactionId: 0n, position: 0n }, 1000);
    const bySms = events.find((event) => event.type === 'ComplaintSubmitted' && (event.data as { channel?: string }).channel === 'sms_1708');
    const complaintId = (bySms?.data as { complaintId: string }).complaintId;

    const adminNtt = { token: await http.token('admin-ntt', PASSWORD) };
    // a verification changes nothing the reporter sees; the disposition that follows is told by SMS
    const verified = await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' }, adminNtt);
    expect(verified.status).toBe(200);
    const disposed = await http.post(`/complaints/${complaintId}/dispositions`, { to: PUPR }, adminNtt);
    expect(disposed.status).toBe(200);
    const request = await receiver.waitFor('the disposition', (s) => s.name === 'POST /complaints/:complaintId/dispositions');
    const append = await childOf(request, 'event-store append');
    // the read side may page the verification and the disposition together: its apply span is then
    // linked to each request's append rather than a child of one, and the send still joins this trace
    await receiver.waitFor(
      'apply sms-notifier of the disposition’s append',
      (s) =>
        s.name === 'apply sms-notifier' &&
        ((s.traceId === append.traceId && s.parentSpanId === append.spanId) || s.links.some((link) => link.spanId === append.spanId)),
    );
    const send = await receiver.waitFor(
      'the notice’s sms send in the disposition’s trace',
      (s) => s.name === 'sms send' && s.attributes['lapor.sms_kind'] === 'notice' && s.traceId === request.traceId,
    );

    expect(send.attributes).toEqual(expect.objectContaining({ 'lapor.sms_outcome': 'sent' }));
    // what the spans say, not their random hex ids and links (a CI run's ids held "3141" or "7777")
    const said = JSON.stringify(receiver.spans.map(({ service, name, attributes }) => ({ service, name, attributes })));
    expect(said).not.toMatch(/7777|3141|jembatan/);
  });

  it('given tracing on, then a log line written inside a request carries the trace and span ids of that request’s exported span', async () => {
    const subscription = await receiver.waitFor('the subscription’s request', (s) => s.name === 'POST /webhooks/subscriptions');
    const line = logLines.find((entry) => String(entry.msg).startsWith('webhook subscription registered'));
    expect(line).toEqual(expect.objectContaining({ trace_id: subscription.traceId, span_id: subscription.spanId }));
  });

  it('given several citizens submitting at once, then each webhook post is in the trace of the request that caused it, however the webhooks read side paged their events', async () => {
    const submissions = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        http.post<{ complaintId: string }>(
          '/complaints',
          { kind: 'pengaduan', channel: 'web', title: `Lampu padam ${n}`, description: 'Di Jalan Timor Raya', addressedTo: NTT_ID },
          { headers: { 'idempotency-key': randomUUID() } },
        ),
      ),
    );
    expect(submissions.map((answer) => answer.status)).toEqual(Array(8).fill(201));

    const traces = new Set<string>();
    for (const { body } of submissions) {
      const delivered = await readUntil(
        async () => webhookReceiver.requests.find((r) => r.body.complaintId === body.complaintId),
        (found) => found !== undefined,
      );
      const { traceId, parentId } = partsOf(delivered?.headers.traceparent);
      const post = await receiver.waitFor('its post', (s) => s.name === 'webhook deliver' && s.spanId === parentId);
      await receiver.waitFor('the request that caused it', (s) => s.name === 'POST /complaints' && s.traceId === traceId);
      expect(post.traceId).toBe(traceId);
      traces.add(traceId!);
    }
    expect(traces.size).toBe(8);
  });
});
