import { CallerVouching, type ProvenCaller } from '@lapor/http-kit';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import { httpClient, type HttpClient } from './support/http';

const PASSWORD = 'accounts-distributed-pw';
const JWT_SECRET = 'accounts-distributed-secret-accounts-distributed';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
// follow-up is forwarded to but never called here: its read side needs Kafka, which this test does not
const SPAWNED = ['intake', 'verification', 'disposition', 'administration'] as const;

// The distributed set without Kafka: a deactivation made through the gateway (forwarded to the
// administration service, a process of its own) makes the liaison's token 401 on the disposition
// and verification services, other processes that never heard of it, on their very next request.
describe('revocation reaches every service process at once (distributed)', () => {
  let set: DistributedSet;
  let http: HttpClient;
  let serviceUrls: Readonly<Record<string, string>>;

  beforeAll(async () => {
    set = await startDistributedSet({
      label: 'accounts_distributed',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SPAWNED,
      unstarted: ['follow-up'],
    });
    ({ http, serviceUrls } = set);
  });
  afterAll(() => set?.close());

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

  it('given the gateway’s word on a caller, then a service takes it without a token, for the request it was given for only', async () => {
    const actor = { role: 'admin_nasional' as const, id: 'acc-vouched', nodeId: 'nasional' };
    const caller: ProvenCaller = { kind: 'staff', id: actor.id, actor, session: { actor, sessionId: 'sid', expiresAt: Math.floor(Date.now() / 1000) + 600 } };
    const vouching = new CallerVouching(JWT_SECRET);
    const administration = httpClient(serviceUrls.administration!);
    const asVouched = (url: string, vouchedFor: string) =>
      fetch(`${serviceUrls.administration}${url}`, { headers: { 'x-lapor-vouched-caller': vouching.vouch(caller, { method: 'GET', url: vouchedFor }) } });

    expect((await asVouched('/staff-accounts', '/staff-accounts')).status).toBe(200);
    expect((await asVouched('/staff-accounts', '/organisation')).status).toBe(401);
    expect((await administration.get('/staff-accounts')).status).toBe(401);
    // a client's vouch counts for nothing at the gateway, the edge: it checks what the client proves
    const atGateway = await fetch(`${set.base}/staff-accounts`, {
      headers: { 'x-lapor-vouched-caller': vouching.vouch(caller, { method: 'GET', url: '/staff-accounts' }) },
    });
    expect(atGateway.status).toBe(401);
  });
});
