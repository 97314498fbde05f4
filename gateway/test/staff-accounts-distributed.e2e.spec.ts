import type { Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import type { FastifyInstance } from 'fastify';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { freePort, spawnService, stopAll, waitReady } from './support/processes';
import { serverStores } from './support/stores';

const PASSWORD = 'accounts-distributed-pw';
const JWT_SECRET = 'accounts-distributed-secret-accounts-distributed';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
// follow-up is forwarded to but never called here: its read side needs Kafka, which this test does not
const SPAWNED = ['intake', 'verification', 'disposition', 'administration'] as const;

// The distributed set without Kafka: a deactivation made through the gateway (forwarded to the
// administration service, a process of its own) makes the liaison's token 401 on the disposition
// and verification services, other processes that never heard of it, on their very next request.
describe('revocation reaches every service process at once (distributed)', () => {
  const keyBytes = randomBytes(32);
  const children: ChildProcess[] = [];
  const serviceUrls: Record<string, string> = {};
  let stores: Stores;
  let gateway: FastifyInstance;
  let http: HttpClient;

  beforeAll(async () => {
    const opened = await serverStores('accounts_distributed', masterKey(keyBytes));
    stores = opened;
    for (const name of [...SPAWNED, 'follow-up']) serviceUrls[name] = `http://127.0.0.1:${await freePort()}`;
    ({ app: gateway } = await buildGateway({
      ...stores,
      jwtSecret: JWT_SECRET,
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      serviceUrls,
    }));
    http = httpClient(await gateway.listen({ port: 0, host: '127.0.0.1' }));
    for (const name of SPAWNED) {
      children.push(
        spawnService(name, {
          DATABASE_URL: opened.url,
          LAPOR_JWT_SECRET: JWT_SECRET,
          LAPOR_MASTER_KEY: keyBytes.toString('base64'),
          PORT: new URL(serviceUrls[name]!).port,
          LAPOR_TRUST_PROXY: '127.0.0.1',
        }),
      );
    }
    await waitReady(SPAWNED.map((name) => serviceUrls[name]!));
  });
  afterAll(async () => {
    await stopAll(children);
    await gateway?.close();
    await stores?.close();
  });

  it('given a liaison created and signed in through the gateway, when its admin deactivates it there, then its token is 401 on the disposition service and on the gateway', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const created = await http.post<{ account: { accountId: string } }>(
      '/staff-accounts',
      { username: 'penghubung-pupr-2', role: 'liaison', nodeId: PUPR, temporaryPassword: 'sementara-pupr-2' },
      admin,
    );
    expect(created.status).toBe(201);
    const account = await http.get<{ accountId: string; username: string }>(created.headers.get('location')!, admin);
    expect(account.body).toMatchObject({ accountId: created.body.account.accountId, username: 'penghubung-pupr-2' });
    const first = await http.post<{ accessToken: string }>('/auth/token', { username: 'penghubung-pupr-2', password: 'sementara-pupr-2' });
    const changed = await http.post<{ accessToken: string }>(
      '/auth/password',
      { currentPassword: 'sementara-pupr-2', newPassword: 'sandi-pupr-kedua-2026' },
      { token: first.body.accessToken },
    );
    expect(changed.status).toBe(200);
    const liaison = changed.body.accessToken;
    const disposition = httpClient(serviceUrls.disposition!);
    // any answer but 401 shows the service accepted the token (the body is not a valid disposition)
    const probe = () => disposition.post('/complaints/00000000-0000-4000-8000-000000000000/dispositions', { to: NTT_ID }, { token: liaison });
    expect((await probe()).status).not.toBe(401);

    const deactivated = await http.post(`/staff-accounts/${created.body.account.accountId}/deactivation`, {}, admin);
    expect(deactivated.status).toBe(200);

    const refused = await probe();
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('deactivated') });
    expect(
      (await httpClient(serviceUrls.verification!).post('/complaints/00000000-0000-4000-8000-000000000000/archive', { reason: 'SPAM' }, { token: liaison }))
        .status,
    ).toBe(401);
    expect((await http.get('/organisation', { token: liaison })).status).toBe(401);
  });

  it('given a session signed out at the gateway, then the administration service refuses it at once', async () => {
    const token = await http.token('admin-nasional', PASSWORD);
    const administration = httpClient(serviceUrls.administration!);
    expect((await administration.get('/staff-accounts', { token })).status).toBe(200);
    expect((await http.post('/auth/sign-out', undefined, { token })).status).toBe(204);
    expect((await administration.get('/staff-accounts', { token })).status).toBe(401);
  });
});
