import { masterKey } from '@lapor/personal-data';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { buildServiceApp, openEmbeddedStores, signStaffToken, type Stores } from '../src';

const SECRET = 'door-test-secret-door-test-secret-door';

/** A service edge with a few routes of each kind of security, as the services declare them. */
async function edgeWithRoutes(stores: Stores) {
  const { app, context } = await buildServiceApp({ ...stores, jwtSecret: SECRET, title: 'door', tags: [], publicRateLimit: 3 });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const query = z.object({ from: z.iso.date() });
  routes.get('/staff-only', { schema: { security: [{ bearer: [] }], querystring: query } }, async () => ({ ok: true }));
  routes.post('/systems-only', { schema: { security: [{ apiKey: [] }], body: z.object({ n: z.number() }) } }, async () => ({ ok: true }));
  routes.post('/anyone', { schema: { security: [{}, { bearer: [] }, { apiKey: [] }], body: z.object({ n: z.number() }) } }, async (request) => ({
    caller: request.caller ?? null,
  }));
  // a token as sign-in issues it: for an existing account, in its role and node
  const account = await context.staffAccounts.create({ username: 'admin-nasional', role: 'admin_nasional', nodeId: 'nasional', password: 'door-password' });
  const token = signStaffToken(app, account);
  const { key } = await context.apiKeys.issue({ name: 'SIMPEL', instansiId: null, channels: ['integration'], issuedBy: 'admin', at: context.now() });
  return { app, token, key, accountId: account.accountId };
}

describe('the door: authentication before validation', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let token: string;
  let key: string;
  let accountId: string;
  beforeAll(async () => {
    stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
    ({ app, token, key, accountId } = await edgeWithRoutes(stores));
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given no token and a bad query, when a staff route is asked, then 401, not 400 about the query', async () => {
    const response = await app.inject({ method: 'GET', url: '/staff-only?from=0000-99-99' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('given a forged token and a bad query, then 401', async () => {
    const response = await app.inject({ method: 'GET', url: '/staff-only?from=nope', headers: { authorization: 'Bearer not.a.token' } });
    expect(response.statusCode).toBe(401);
  });

  it('given a valid token and a bad query, then 400 naming the field', async () => {
    const response = await app.inject({ method: 'GET', url: '/staff-only?from=nope', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(400);
  });

  it('given no API key and a bad body, when a systems route is posted to, then 401; with the key, 400', async () => {
    expect((await app.inject({ method: 'POST', url: '/systems-only', payload: { n: 'x' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/systems-only', payload: { n: 'x' }, headers: { 'x-api-key': key } })).statusCode).toBe(400);
  });

  it('given a route open to the public too, then no credential passes, a wrong one is 401, a right one is remembered', async () => {
    const anyone = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/anyone', payload: { n: 1 }, headers });
    expect((await anyone({})).json()).toEqual({ caller: null });
    expect((await anyone({ authorization: 'Bearer junk' })).statusCode).toBe(401);
    expect((await anyone({ 'x-api-key': 'lapor_junk' })).statusCode).toBe(401);
    expect((await anyone({ authorization: `Bearer ${token}` })).json()).toMatchObject({ caller: { kind: 'staff', id: accountId } });
    expect((await anyone({ 'x-api-key': key })).json()).toMatchObject({ caller: { kind: 'integration' } });
  });
});
