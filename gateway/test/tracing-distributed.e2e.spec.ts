import { startTracing, type Tracing } from '@lapor/tracing';
import { randomUUID } from 'node:crypto';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import type { HttpClient } from './support/http';
import { OtlpReceiver } from './support/otlp-receiver';

const PASSWORD = 'tracing-pw';
const JWT_SECRET = 'tracing-secret-tracing-secret-tracing';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments'] as const;
const TITLE = 'Lampu jalan padam';

// The distributed deployment with OTEL_EXPORTER_OTLP_ENDPOINT set in every process, exporting to a
// collector this test runs: one complaint submitted through the gateway is one trace, from the
// gateway's request to the follow-up service applying the event it caused, across the Kafka hop.
describe('one trace across the processes, distributed mode', () => {
  const receiver = new OtlpReceiver();
  let set: DistributedSet;
  let tracing: Tracing;
  let http: HttpClient;

  beforeAll(async () => {
    const endpoint = await receiver.listen();
    tracing = startTracing('gateway', endpoint);
    set = await startDistributedSet({
      label: 'tracing',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SERVICES,
      kafka: { topicPrefix: 'tracing' },
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    });
    ({ http } = set);
  });
  afterAll(async () => {
    await set?.close();
    await tracing?.shutdown();
    await receiver.close();
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
