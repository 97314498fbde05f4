import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { buildGateway } from '../src/app';
import { DEFAULT_FORWARDING, type ForwardingConfig } from '../src/forwarding';
import { freePort } from './support/processes';
import { embeddedStores } from './support/stores';

const SECRET = 'test-secret-that-is-at-least-32-characters';
// a public route intake owns: forwarded to whatever listens (or not) at intake's URL
const TRACKING = '/tracking/LPR-NOSUCHONE';

/** A service that accepts connections and then does what `onSocket` does with them; counts them. */
async function rawService(onSocket: (socket: Socket) => void): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.length,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A service that is up: ready, and answering everything else 404. */
async function healthyService(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer((request, response) => {
    response.writeHead(request.url === '/health/ready' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Where a service was listening before it was killed: nothing listens there now. */
const deadService = async (): Promise<string> => `http://127.0.0.1:${await freePort()}`;

describe('the gateway forwarding to services that are dead, frozen or down (distributed mode)', () => {
  let stores: Stores;
  let healthy: { url: string; close(): Promise<void> };
  const gateways: FastifyInstance[] = [];

  async function gatewayWith(intake: string, forwarding: Partial<ForwardingConfig> = {}, others?: string): Promise<FastifyInstance> {
    const elsewhere = others ?? healthy.url;
    const { app } = await buildGateway({
      ...stores,
      jwtSecret: SECRET,
      publicRateLimit: 1000,
      serviceUrls: { intake, verification: elsewhere, disposition: healthy.url, 'follow-up': healthy.url },
      forwarding: { ...DEFAULT_FORWARDING, ...forwarding },
    });
    gateways.push(app);
    return app;
  }

  beforeAll(async () => {
    stores = await embeddedStores();
    healthy = await healthyService();
  });
  afterAll(async () => {
    for (const app of gateways) await app.close();
    await healthy.close();
    await stores.close();
  });

  it('given a service that was killed, when a citizen calls its route, then 502 problem+json naming it, with Retry-After, at once', async () => {
    const app = await gatewayWith(await deadService());
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: TRACKING });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.json()).toMatchObject({ type: 'https://lapor.go.id/problems/bad-gateway', status: 502, detail: expect.stringContaining('intake service') });
  });

  it('given a service that never answers, when a citizen calls its route, then 504 naming it within the configured timeout', async () => {
    const frozen = await rawService(() => undefined);
    try {
      const app = await gatewayWith(frozen.url, { timeoutMs: 400 });
      const started = Date.now();
      const response = await app.inject({ method: 'GET', url: TRACKING });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(2_000);
      expect(response.statusCode).toBe(504);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.json()).toMatchObject({
        type: 'https://lapor.go.id/problems/gateway-timeout',
        detail: 'The intake service did not answer within 400 ms.',
      });
    } finally {
      await frozen.close();
    }
  });

  it('given a service that fails N times in a row, then its circuit opens: 503 with Retry-After, and the service is not contacted', async () => {
    const cutting = await rawService((socket) => socket.destroy());
    try {
      const app = await gatewayWith(cutting.url, { failuresToOpen: 3, coolDownMs: 30_000 });
      for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: TRACKING })).statusCode).toBe(502);
      const contacted = cutting.connections();

      const refused = await app.inject({ method: 'GET', url: TRACKING });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(29);
      expect(refused.json()).toMatchObject({ type: 'https://lapor.go.id/problems/service-unavailable', detail: expect.stringContaining('intake service') });
      expect(cutting.connections()).toBe(contacted);
    } finally {
      await cutting.close();
    }
  });

  it('given one service it forwards to is down, when asked whether it is ready, then 503 naming that service', async () => {
    const up = await gatewayWith(healthy.url);
    const ready = await up.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      // the administration is served here in this set: its audit trail is followed here too
      checks: { eventStore: 'ok', intake: 'ok', verification: 'ok', disposition: 'ok', 'follow-up': 'ok', 'open311-list': 'ok', 'audit-trail': 'ok' },
    });

    const partly = await gatewayWith(healthy.url, {}, await deadService());
    const notReady = await partly.inject({ method: 'GET', url: '/health/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'unavailable', checks: { intake: 'ok', verification: 'unavailable' } });
    expect((await partly.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
