import { openEmbeddedStores, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS } from '@lapor/workflow';
import { buildGateway } from '../src/app';
import { renderOpenApiYaml } from '../src/openapi-document';
import { embeddedStores } from './support/stores';

const SECRET = 'test-secret-that-is-at-least-32-characters';

describe('gateway on the embedded store', () => {
  let stores: Stores;
  let app: FastifyInstance;
  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({ ...stores, jwtSecret: SECRET }));
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('when asked whether it lives and is ready, then both say ok, readiness after asking the event store and how far the inbox and Open311’s list trail the log', async () => {
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });

    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: { eventStore: 'ok', inbox: 'ok', 'integrations-list': 'ok', 'open311-list': 'ok', 'audit-trail': 'ok' },
    });
  });

  it('when its event store is gone, then readiness answers 503 naming it, liveness still 200, and a request that needs the store 503 with Retry-After, once the organisation is due to be read again too', async () => {
    const brokenStores = await embeddedStores();
    const { app: broken } = await buildGateway({ ...brokenStores, jwtSecret: SECRET });
    // up and following the log first (the projections start once the app is ready), then the store goes
    await broken.ready();
    await brokenStores.close();
    const ready = await broken.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { eventStore: 'unavailable' } });
    // past the bound within which every request reads the organisation afresh (a 500 here, once)
    await new Promise((resolve) => setTimeout(resolve, ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS + 100));
    expect((await broken.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    expect((await broken.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const submission = await broken.inject({ method: 'POST', url: '/complaints', payload: {} });
    expect(submission.statusCode).toBe(503);
    expect(submission.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(submission.headers['retry-after']).toBe('1');
    expect(submission.json()).toMatchObject({ status: 503, type: 'https://lapor.go.id/problems/service-unavailable' });
    await broken.close();
  });

  it('serves the OpenAPI 3.1 document and the Swagger UI', async () => {
    const document = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(document.statusCode).toBe(200);
    expect(document.json()).toMatchObject({ openapi: '3.1.0', paths: { '/health/ready': { get: { operationId: 'getReadiness' } } } });

    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers an unknown route with problem+json naming it', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, title: 'Not Found', detail: 'No route GET /no/such/route' });
  });

  it('given no token, when the recap or the inbox is asked with a bad query, then 401 before any word about the query', async () => {
    for (const url of ['/statistics/recap?from=0000-01-01', '/inbox?limit=banana']) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
      expect(response.json()).toMatchObject({ type: 'https://lapor.go.id/problems/unauthorized' });
    }
  });

  it('given a public client over its budget, then 429 problem+json; a signed-in caller is not counted', async () => {
    const limitedStores = await embeddedStores();
    const { app: limited } = await buildGateway({ ...limitedStores, jwtSecret: SECRET, publicRateLimit: 3 });
    const track = () => limited.inject({ method: 'GET', url: '/tracking/LAP-2345678923', remoteAddress: '10.0.0.7' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await track()).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const refused = await track();
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, type: 'https://lapor.go.id/problems/rate-limited' });
    // another address has its own budget
    expect((await limited.inject({ method: 'GET', url: '/tracking/LAP-2345678923', remoteAddress: '10.0.0.8' })).statusCode).toBe(404);
    await limited.close();
    await limitedStores.close();
  });

  it('given a junk credential header, then the request is counted against its address like one without', async () => {
    const limitedStores = await embeddedStores();
    const { app: limited } = await buildGateway({ ...limitedStores, jwtSecret: SECRET, publicRateLimit: 3 });
    try {
      const statuses = [];
      for (const headers of [
        { authorization: 'Bearer junk' },
        { 'x-api-key': 'lapor_junk' },
        { authorization: 'Bearer junk' },
        { authorization: 'Bearer junk' },
      ]) {
        statuses.push((await limited.inject({ method: 'GET', url: '/tracking/LAP-2345678923', remoteAddress: '10.0.0.9', headers })).statusCode);
      }
      expect(statuses.slice(-1)).toEqual([429]);
    } finally {
      await limited.close();
      await limitedStores.close();
    }
  });

  it('given an address, then its budget is one across the public routes: tracking, reporter routes and the Open311 list share it', async () => {
    const limitedStores = await embeddedStores();
    const { app: limited } = await buildGateway({ ...limitedStores, jwtSecret: SECRET, publicRateLimit: 3 });
    try {
      const from = (url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
        limited.inject({
          method,
          url,
          remoteAddress: '10.0.0.10',
          ...(payload ? { payload, headers: { 'x-reporter-secret': 'wrong-secret-wrong-secret' } } : {}),
        });
      const statuses = [
        (await from('/tracking/LAP-2345678923')).statusCode,
        (await from('/tracking/LAP-2345678923/replies', 'POST', { message: 'halo' })).statusCode,
        (await from('/open311/v2/requests.json')).statusCode,
        (await from('/tracking/LAP-2345678923')).statusCode,
      ];
      expect(statuses[3]).toBe(429);
      expect(statuses.slice(0, 3)).not.toContain(429);
    } finally {
      await limited.close();
      await limitedStores.close();
    }
  });

  it('given a data folder, then the demo is seeded on the first start only, and a restart keeps what was written', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lapor-gateway-'));
    const start = async () => {
      const folderStores = await openEmbeddedStores({ dataDir, masterKey: masterKey(Buffer.alloc(32, 7)) });
      const built = await buildGateway({ ...folderStores, jwtSecret: SECRET, seedOrganisation: DEMO_ORGANISATION, seedAccounts: demoAccounts('restart-pw') });
      return { ...built, stop: async () => (await built.app.close(), await folderStores.close()) };
    };
    try {
      const first = await start();
      expect(first.seeded).toBe(true);
      const submitted = await first.app.inject({
        method: 'POST',
        url: '/complaints',
        payload: { kind: 'pengaduan', channel: 'web', title: 'Sebelum restart', description: 'x', addressedTo: NTT_ID },
      });
      const { trackingId } = submitted.json<{ trackingId: string }>();
      await first.stop();

      const second = await start();
      expect(second.seeded).toBe(false);
      expect(second.context.directory.tree.nodes).toHaveLength(DEMO_ORGANISATION.length);
      expect((await second.app.inject({ method: 'GET', url: `/tracking/${trackingId}` })).json()).toMatchObject({ title: 'Sebelum restart' });
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps the committed openapi/openapi.yaml equal to what the routes generate (run `pnpm openapi`)', async () => {
    const committed = await readFile(join(__dirname, '..', '..', 'openapi', 'openapi.yaml'), 'utf8');
    expect(committed).toBe(await renderOpenApiYaml());
  });
});
