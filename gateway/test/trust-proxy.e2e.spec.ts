import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { loadConfig } from '../src/config';
import { embeddedStores } from './support/stores';

const SECRET = 'test-secret-that-is-at-least-32-characters';
// one public, rate-limited route: a tracking page nobody has
const TRACKING = '/tracking/LPR-NOSUCHONE';

async function gatewayTrusting(stores: Stores, trustProxy: string[] | undefined): Promise<FastifyInstance> {
  const { app } = await buildGateway({ ...stores, jwtSecret: SECRET, publicRateLimit: 2, ...(trustProxy ? { trustProxy } : {}) });
  return app;
}

/** Three public requests from one client, as the load balancer at 127.0.0.1 forwards them. */
async function threeFrom(app: FastifyInstance, client: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const response = await app.inject({ method: 'GET', url: TRACKING, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    statuses.push(response.statusCode);
  }
  return statuses;
}

describe('the gateway behind a load balancer (LAPOR_TRUST_PROXY)', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await embeddedStores();
  });
  afterAll(async () => {
    await stores.close();
  });

  it('given trust for 127.0.0.1, when two citizens come through it, then each has a rate-limit budget of their own', async () => {
    const app = await gatewayTrusting(stores, ['127.0.0.1']);
    try {
      expect(await threeFrom(app, '203.0.113.7')).toEqual([404, 404, 429]);
      expect(await threeFrom(app, '198.51.100.20')).toEqual([404, 404, 429]);
    } finally {
      await app.close();
    }
  });

  it('given no trust, when citizens claim other addresses in X-Forwarded-For, then it is ignored: the budget is the sender’s', async () => {
    const app = await gatewayTrusting(stores, undefined);
    try {
      expect(await threeFrom(app, '203.0.113.7')).toEqual([404, 404, 429]);
      expect(await threeFrom(app, '198.51.100.20')).toEqual([429, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('given LAPOR_TRUST_PROXY, then the configuration reads it; "trust everything" stops the start with the variable named', () => {
    expect(loadConfig({ LAPOR_TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(() => loadConfig({ LAPOR_TRUST_PROXY: 'true' })).toThrow(/LAPOR_TRUST_PROXY: "true" would trust every client/);
    expect(() => loadConfig({ LAPOR_TRUST_PROXY: '*' })).toThrow(/LAPOR_TRUST_PROXY: "\*" would trust every client/);
  });
});
