import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { capturedLogs } from './support/captured-logs';
import { serverStores } from './support/stores';

const SECRET = 'sign-in-secret-sign-in-secret-sign-in';
const PASSWORD = 'sign-in-password';

// Two gateways on one PostgreSQL database, as behind a load balancer: what one counts, the other sees.
describe('staff sign-in under password guessing (two gateways, one PostgreSQL database)', () => {
  let stores: Awaited<ReturnType<typeof serverStores>>;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let host = 0;
  const logLines: string[] = [];
  /** An address no other test has used. */
  const freshAddress = () => `198.51.100.${++host}`;
  beforeAll(async () => {
    stores = await serverStores('sign_in');
    ({ app: a } = await buildGateway({
      ...stores,
      jwtSecret: SECRET,
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      // everything a request carries, redacted as in production: where a username must not appear
      logger: capturedLogs(logLines),
    }));
    ({ app: b } = await buildGateway({ ...stores, jwtSecret: SECRET }));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await stores.close();
  });

  const signIn = (app: FastifyInstance, username: string, password: string, address: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: '/auth/token', payload: { username, password }, remoteAddress: address });

  it('given 10 wrong passwords from one address, when the 11th attempt brings the right one from there, then 429 with Retry-After; from another address the right one works', async () => {
    const attacker = freshAddress();
    for (let attempt = 0; attempt < 10; attempt++)
      expect((await signIn(attempt % 2 ? a : b, 'admin-nasional', `guess-${attempt}`, attacker)).statusCode).toBe(401);

    const refused = await signIn(a, 'admin-nasional', PASSWORD, attacker);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ status: 429, type: 'https://lapor.go.id/problems/sign-in-throttled' });
    // the other gateway counted the same failures
    expect((await signIn(b, 'admin-nasional', PASSWORD, attacker)).statusCode).toBe(429);

    const owner = await signIn(b, 'admin-nasional', PASSWORD, freshAddress());
    expect(owner.statusCode).toBe(200);
  });

  it('given 30 failures from one address spread over many usernames, then that address is refused for any account, and other addresses are not', async () => {
    const sprayer = freshAddress();
    for (let user = 0; user < 30; user++) expect((await signIn(user % 2 ? a : b, `pegawai-${user}`, 'password123', sprayer)).statusCode).toBe(401);

    const refused = await signIn(a, 'admin-ntt', PASSWORD, sprayer);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await signIn(a, 'admin-ntt', PASSWORD, freshAddress())).statusCode).toBe(200);
  });

  it('given an unknown username and a known one with a wrong password, then both answer alike, and both are throttled alike', async () => {
    const address = freshAddress();
    const unknown = await signIn(a, 'tidak-ada', 'wrong-password', address);
    const known = await signIn(a, 'admin-ntt', 'wrong-password', address);
    expect([unknown.statusCode, unknown.json()]).toEqual([known.statusCode, known.json()]);

    for (let attempt = 1; attempt < 10; attempt++) {
      await signIn(a, 'tidak-ada', 'wrong-password', address);
      await signIn(a, 'admin-ntt', 'wrong-password', address);
    }
    const unknownThrottled = await signIn(a, 'tidak-ada', 'wrong-password', address);
    const knownThrottled = await signIn(a, 'admin-ntt', 'wrong-password', address);
    expect(unknownThrottled.statusCode).toBe(429);
    expect([unknownThrottled.statusCode, unknownThrottled.json()]).toEqual([knownThrottled.statusCode, knownThrottled.json()]);
  });

  it('given a few typos and then the right password, then the typos are forgotten for that account and address', async () => {
    const address = freshAddress();
    for (let round = 0; round < 2; round++) {
      for (let typo = 0; typo < 9; typo++) expect((await signIn(a, 'penghubung-pupr', 'typo', address)).statusCode).toBe(401);
      expect((await signIn(a, 'penghubung-pupr', PASSWORD, address)).statusCode).toBe(200);
    }
  });

  it('given a liaison named by an e-mail address, when its sign-in is refused, then the log says so without the address or the password', async () => {
    const EMAIL = 'yohana.bria@nttprov.go.id';
    const admin = (await signIn(a, 'admin-ntt', PASSWORD, freshAddress())).json<{ accessToken: string }>().accessToken;
    const created = await a.inject({
      method: 'POST',
      url: '/staff-accounts',
      headers: { authorization: `Bearer ${admin}` },
      payload: { username: EMAIL, role: 'liaison', nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan', temporaryPassword: 'sementara-yohana-2026' },
    });
    expect(created.statusCode).toBe(201);
    logLines.length = 0;

    for (const username of [EMAIL, EMAIL, 'Yohana.Bria@NTTPROV.go.id'])
      expect((await signIn(a, username, 'salah-ketik-sandi', freshAddress())).statusCode).toBe(401);

    const refusals = logLines.filter((line) => line.includes('sign-in refused')).map((line) => JSON.parse(line) as { signInKey?: string });
    expect(refusals).toHaveLength(3);
    const logged = logLines.join('').toLowerCase();
    expect(logged).not.toContain('yohana');
    expect(logged).not.toContain('nttprov');
    expect(logged).not.toContain('salah-ketik-sandi');
    // an operator still sees that refusals are for one username, by a keyed hash of it
    expect(refusals[0]!.signInKey).toEqual(expect.any(String));
    expect(refusals[1]!.signInKey).toBe(refusals[0]!.signInKey);
  });

  it('given a liaison named by its e-mail address, when it types the address with capitals, then it is the same account, throttled as one', async () => {
    const EMAIL = 'maria.seran@nttprov.go.id';
    const admin = (await signIn(a, 'admin-ntt', PASSWORD, freshAddress())).json<{ accessToken: string }>().accessToken;
    const created = await a.inject({
      method: 'POST',
      url: '/staff-accounts',
      headers: { authorization: `Bearer ${admin}` },
      payload: { username: EMAIL, role: 'liaison', nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan', temporaryPassword: 'sementara-maria-2026' },
    });
    expect(created.statusCode).toBe(201);
    // as an e-mail client or a business card writes it
    const typed = 'Maria.Seran@NTTPROV.go.id';
    expect((await signIn(b, typed, 'sementara-maria-2026', freshAddress())).json()).toMatchObject({ passwordChangeRequired: true });

    // ten wrong guesses from one address, each spelled differently, are ten failures of one account there
    const address = freshAddress();
    const spellings = [EMAIL, typed, EMAIL.toUpperCase(), 'MARIA.seran@nttprov.go.id', 'maria.SERAN@nttprov.go.id'];
    for (let attempt = 0; attempt < 10; attempt++)
      expect((await signIn(a, spellings[attempt % spellings.length]!, `tebakan-${attempt}`, address)).statusCode).toBe(401);
    expect((await signIn(a, 'Maria.Seran@nttprov.go.id', 'sementara-maria-2026', address)).statusCode).toBe(429);
  });
});
