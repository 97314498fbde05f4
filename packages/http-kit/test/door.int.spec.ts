import { masterKey } from '@lapor/personal-data';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { buildServiceApp, CallerVouching, openEmbeddedStores, signStaffToken, VOUCHED_CALLER_HEADER, type ProvenCaller, type Stores } from '../src';

const SECRET = 'door-test-secret-door-test-secret-door';

/** A service edge with a few routes of each kind of security, as the services declare them. */
async function edgeWithRoutes(stores: Stores, { vouchedCallers = false } = {}) {
  const { app, context } = await buildServiceApp({ ...stores, jwtSecret: SECRET, title: 'door', tags: [], publicRateLimit: 3, vouchedCallers });
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

describe('the door of a service behind the gateway: callers the gateway vouches for', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let token: string;
  let accountId: string;
  const gateway = new CallerVouching(SECRET);
  const staff = (id: string): ProvenCaller => {
    const actor = { role: 'admin_nasional' as const, id, nodeId: 'nasional' };
    return { kind: 'staff', id, actor, session: { actor, sessionId: 'sid', expiresAt: Math.floor(Date.now() / 1000) + 600 } };
  };
  beforeAll(async () => {
    stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
    ({ app, token, accountId } = await edgeWithRoutes(stores, { vouchedCallers: true }));
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given a staff caller the gateway vouches for, without a token, then the staff route answers and knows who it is', async () => {
    const url = '/anyone';
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { n: 1 },
      headers: { [VOUCHED_CALLER_HEADER]: gateway.vouch(staff(accountId), { method: 'POST', url }) },
    });

    expect(response.json()).toMatchObject({ caller: { kind: 'staff', id: accountId, actor: { role: 'admin_nasional' } } });
  });

  it('given an agency system the gateway vouches for, then the systems route answers', async () => {
    const url = '/systems-only';
    const vouch = gateway.vouch({ kind: 'integration', keyId: 'key-1' }, { method: 'POST', url });

    expect((await app.inject({ method: 'POST', url, payload: { n: 1 }, headers: { [VOUCHED_CALLER_HEADER]: vouch } })).statusCode).toBe(200);
  });

  it('given a vouch for another route, or signed with another secret, then 401 problem+json, even with a valid token beside it', async () => {
    const elsewhere = gateway.vouch(staff(accountId), { method: 'GET', url: '/staff-only?from=2026-01-01' });
    const forged = new CallerVouching('not-the-secret-not-the-secret-not-the').vouch(staff(accountId), { method: 'GET', url: '/staff-only?from=2026-12-01' });

    for (const vouch of [elsewhere, forged]) {
      const response = await app.inject({
        method: 'GET',
        url: '/staff-only?from=2026-12-01',
        headers: { [VOUCHED_CALLER_HEADER]: vouch, authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('given no vouch, then the service checks a token itself, as the gateway does', async () => {
    expect((await app.inject({ method: 'GET', url: '/staff-only?from=2026-12-01', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/staff-only?from=2026-12-01', headers: { authorization: 'Bearer junk' } })).statusCode).toBe(401);
  });
});

describe('the door of the gateway (an edge that takes no vouches)', () => {
  let stores: Stores;
  let app: FastifyInstance;
  beforeAll(async () => {
    stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
    ({ app } = await edgeWithRoutes(stores));
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given a valid vouch sent by a client, then it counts for nothing: 401 without a token', async () => {
    const url = '/staff-only?from=2026-12-01';
    const actor = { role: 'admin_nasional' as const, id: 'acc', nodeId: 'nasional' };
    const vouch = new CallerVouching(SECRET).vouch(
      { kind: 'staff', id: 'acc', actor, session: { actor, sessionId: 'sid', expiresAt: Math.floor(Date.now() / 1000) + 600 } },
      { method: 'GET', url },
    );

    expect((await app.inject({ method: 'GET', url, headers: { [VOUCHED_CALLER_HEADER]: vouch } })).statusCode).toBe(401);
  });
});
