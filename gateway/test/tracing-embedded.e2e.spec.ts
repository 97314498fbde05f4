import type { Stores } from '@lapor/http-kit';
import { startTracing, type Tracing } from '@lapor/tracing';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { OtlpReceiver } from './support/otlp-receiver';
import { embeddedStores } from './support/stores';

// The embedded default with OTEL_EXPORTER_OTLP_ENDPOINT set: the request's span is the append's parent.
describe('traces in embedded mode', () => {
  const receiver = new OtlpReceiver();
  let tracing: Tracing;
  let stores: Stores;
  let gateway: FastifyInstance;
  let http: HttpClient;

  beforeAll(async () => {
    tracing = startTracing('gateway', await receiver.listen());
    stores = await embeddedStores();
    ({ app: gateway } = await buildGateway({ ...stores, jwtSecret: 'tracing-embedded-secret-tracing-embedded', seedOrganisation: DEMO_ORGANISATION }));
    http = httpClient(await gateway.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await gateway?.close();
    await tracing?.shutdown();
    await receiver.close();
    await stores?.close();
  });

  it('given tracing on, when a citizen submits, then the append span is a child of the request span, named by route, without the complaint text', async () => {
    const submitted = await http.post(
      '/complaints',
      { kind: 'pengaduan', channel: 'web', title: 'Sumur tercemar', description: 'Di Desa Oesao', addressedTo: NTT_ID },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(submitted.status).toBe(201);
    const request = await receiver.waitFor('POST /complaints', (s) => s.name === 'POST /complaints');
    const append = await receiver.waitFor('its append', (s) => s.name === 'event-store append' && s.traceId === request.traceId);
    expect(append.parentSpanId).toBe(request.spanId);
    expect(request.attributes).toEqual(expect.objectContaining({ 'http.route': '/complaints', 'http.response.status_code': 201 }));
    expect(JSON.stringify(receiver.spans)).not.toMatch(/Sumur|Oesao/);
  });
});
