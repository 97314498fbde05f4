import { followUpRoutes, openInbox } from '@lapor/follow-up';
import { buildServiceApp, runWithApp, type ServiceApp } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { createHmac } from 'node:crypto';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { serverStores } from './support/stores';

const SECRET = 'staff-tokens-secret-staff-tokens-secret';
const PASSWORD = 'staff-tokens-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const EIGHT_HOURS = 8 * 60 * 60;

/** An HS256 token signed with the right secret, with whatever claims a test wants (or lacks). */
function forge(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

// A gateway (signs in) and a service run on its own (follow-up, as in the distributed set), on one
// PostgreSQL database: a token is checked by each against the accounts and the organisation as they are.
describe('staff tokens are trusted no further than their account (gateway and a service, one PostgreSQL database)', () => {
  let stores: Awaited<ReturnType<typeof serverStores>>;
  let gateway: ServiceApp;
  let service: FastifyInstance;
  let liaison: { accountId: string; token: string };
  beforeAll(async () => {
    stores = await serverStores('staff_tokens');
    gateway = await buildGateway({ ...stores, jwtSecret: SECRET, seedOrganisation: DEMO_ORGANISATION, seedAccounts: demoAccounts(PASSWORD) });
    const alone = await buildServiceApp({ store: stores.store, vault: stores.vault, db: stores.db, jwtSecret: SECRET, title: 'follow-up alone', tags: [] });
    const inbox = await openInbox(alone.context, stores.db, { log: alone.app.log });
    runWithApp(alone.app, inbox);
    await alone.app.register(followUpRoutes, { context: alone.context, inbox });
    service = alone.app;
    const signIn = await gateway.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'penghubung-pupr', password: PASSWORD } });
    const token = signIn.json<{ accessToken: string }>().accessToken;
    liaison = { token, accountId: (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub };
  });
  afterAll(async () => {
    await gateway.app.close();
    await service.close();
    await stores.close();
  });

  const inbox = (app: FastifyInstance, token: string) => app.inject({ method: 'GET', url: '/inbox', headers: { authorization: `Bearer ${token}` } });
  const onBoth = async (token: string) => [await inbox(gateway.app, token), await inbox(service, token)];
  const claims = (overrides: Record<string, unknown>) => ({
    sub: liaison.accountId,
    role: 'liaison',
    nodeId: PUPR,
    sid: 'forged-session',
    gen: 0,
    iat: nowSeconds(),
    exp: nowSeconds() + EIGHT_HOURS,
    ...overrides,
  });

  it('given the token sign-in issued, then the gateway and the service both serve it', async () => {
    for (const answer of await onBoth(liaison.token)) expect(answer.statusCode).toBe(200);
    // and a token made the same way by hand is as good (the checks below differ from it in one claim each)
    for (const answer of await onBoth(forge(claims({})))) expect(answer.statusCode).toBe(200);
  });

  it.each([
    ['no expiry', { exp: undefined }, /no expiry/],
    ['an expiry a century ahead', { exp: nowSeconds() + 100 * 365 * 24 * 60 * 60 }, /longer than a token may/],
    ['an expiry past the lifetime, issued long ago', { iat: nowSeconds() - 30 * 24 * 60 * 60, exp: nowSeconds() + 60 }, /longer than a token may/],
    ['an issue time in the future', { iat: nowSeconds() + 3600, exp: nowSeconds() + 3600 + 60 }, /longer than a token may/],
    ['an expiry passed', { iat: nowSeconds() - 600, exp: nowSeconds() - 60 }, /expired/],
    ['a sub that is no account', { sub: 'no-such-account' }, /account does not exist or is deactivated/],
    ['a nodeId that is no node', { nodeId: 'pemprov-atlantis' }, /role or unit has changed/],
    ['a role its account does not have', { role: 'admin_nasional', nodeId: 'nasional' }, /role or unit has changed/],
    ['a session generation its account has moved past', { gen: 7 }, /session has ended/],
    ['no session', { sid: undefined }, /^The bearer token is not valid\.$/],
  ])('given a correctly signed token with %s, then both answer 401 problem+json saying so', async (_case, overrides, detail) => {
    for (const answer of await onBoth(forge(claims(overrides)))) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json<{ detail: string }>().detail).toMatch(detail);
    }
  });

  it('given an account whose unit is not in the organisation, then its token is refused', async () => {
    const stray = await gateway.context.staffAccounts.create({
      username: 'penghubung-atlantis',
      role: 'liaison',
      nodeId: 'pemprov-atlantis',
      password: PASSWORD,
    });
    for (const answer of await onBoth(forge(claims({ sub: stray.accountId, nodeId: 'pemprov-atlantis' })))) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json<{ detail: string }>().detail).toMatch(/unit is not in the organisation/);
    }
  });

  it('given a signed-in account, when its instansi admin deactivates it, then the gateway and the service refuse its token on the very next call, and it cannot sign in', async () => {
    const account = await gateway.context.staffAccounts.create({ username: 'penghubung-mutasi', role: 'liaison', nodeId: PUPR, password: PASSWORD });
    const signIn = await gateway.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'penghubung-mutasi', password: PASSWORD } });
    const token = signIn.json<{ accessToken: string }>().accessToken;
    for (const answer of await onBoth(token)) expect(answer.statusCode).toBe(200);

    const admin = await gateway.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'admin-ntt', password: PASSWORD } });
    const deactivated = await gateway.app.inject({
      method: 'POST',
      url: `/staff-accounts/${account.accountId}/deactivation`,
      headers: { authorization: `Bearer ${admin.json<{ accessToken: string }>().accessToken}` },
    });
    expect(deactivated.statusCode).toBe(200);
    // the service, another StaffAccounts over the same database, reads the change before it checks the token
    for (const answer of await onBoth(token)) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json<{ detail: string }>().detail).toMatch(/deactivated/);
    }
    const again = await gateway.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'penghubung-mutasi', password: PASSWORD } });
    expect(again.statusCode).toBe(401);
  });

  it('given two sessions of one account, when one signs out, then that token is refused on both and the other still works', async () => {
    const signIn = () => gateway.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'penghubung-dikbud', password: PASSWORD } });
    const laptop = (await signIn()).json<{ accessToken: string }>().accessToken;
    const phone = (await signIn()).json<{ accessToken: string }>().accessToken;
    const out = await gateway.app.inject({ method: 'POST', url: '/auth/sign-out', headers: { authorization: `Bearer ${laptop}` } });
    expect(out.statusCode).toBe(204);
    for (const answer of await onBoth(laptop)) expect(answer.statusCode).toBe(401);
    for (const answer of await onBoth(phone)) expect(answer.statusCode).toBe(200);
  });
});
