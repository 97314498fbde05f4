import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores, serverStores } from './support/stores';

// UU PDP 27/2022: every read of a reporter's identity by a person, and every erasure, is accounted
// for: who, when, which complaint and why, readable by Admin Nasional, never holding the identity.

const PASSWORD = 'access-log-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const REPORTER = { name: 'Fransiska Nona Kewa', phone: '+6281237004455', nik: '5310014407900002', email: 'fransiska@contoh.id' };
const TRACES = ['Fransiska', 'Kewa', '81237004455', '5310014407900002', 'fransiska@contoh'];

interface Entry {
  cursor: string;
  complaintId: string;
  purpose: string;
  reason: string | null;
  by: { id: string; role: string; nodeId: string };
  at: string;
}
interface Page {
  entries: Entry[];
  next: string | null;
}

describe.each([
  ['the embedded store (PGlite)', embeddedStores],
  ['a PostgreSQL server', () => serverStores('h_ops_access_log')],
])('the personal data access log on %s', (_name, openStores: () => Promise<Stores>) => {
  let stores: Stores;
  let app: FastifyInstance;
  let http: HttpClient;
  const tokens: Record<string, string> = {};
  const as = (username: string) => ({ token: tokens[username]! });

  beforeAll(async () => {
    stores = await openStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'access-log-secret-access-log-secret-0000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
    }));
    http = httpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr']) tokens[username] = await http.token(username, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  async function disposedComplaint(body: Record<string, unknown> = { reporter: REPORTER }): Promise<string> {
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Pungutan liar di puskesmas',
      description: 'Diminta uang tambahan untuk kartu berobat.',
      addressedTo: NTT_ID,
      ...body,
    });
    expect(submitted.status).toBe(201);
    const { complaintId } = submitted.body;
    expect((await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Pungli' }, as('admin-ntt'))).status).toBe(
      200,
    );
    expect((await http.post(`/complaints/${complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'))).status).toBe(200);
    return complaintId;
  }
  const accountId = async (username: string) =>
    (await http.get<{ accounts: Array<{ username: string; accountId: string }> }>('/staff-accounts', as('admin-nasional'))).body.accounts.find(
      (account) => account.username === username,
    )!.accountId;
  const newest = async (limit = 50) => (await http.get<Page>(`/personal-data/access-log?limit=${limit}`, as('admin-nasional'))).body;

  it('given an admin opens a complaint with an identity and no reason, then 400 names the field and nothing is shown or recorded', async () => {
    const complaintId = await disposedComplaint();
    const before = await newest();
    const refused = await http.get<{ errors: Array<{ field: string }> }>(`/complaints/${complaintId}`, as('admin-ntt'));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors.map((error) => error.field)).toEqual(['querystring.reason']);
    expect(await newest()).toEqual(before);
  });

  it('given an admin gives a reason and a liaison reads it for the job, then each read is recorded: who, when, which complaint, why', async () => {
    const complaintId = await disposedComplaint();
    const reason = 'Klarifikasi identitas atas permintaan Inspektorat';
    const byAdmin = await http.get<{ reporter: unknown }>(`/complaints/${complaintId}?reason=${encodeURIComponent(reason)}`, as('admin-ntt'));
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.reporter).toEqual(REPORTER);
    expect((await http.get(`/complaints/${complaintId}`, as('penghubung-pupr'))).status).toBe(200);

    const [liaisonRead, adminRead] = (await newest()).entries;
    expect(adminRead).toMatchObject({
      complaintId,
      purpose: 'detail_view',
      reason,
      by: { id: await accountId('admin-ntt'), role: 'admin_instansi', nodeId: NTT_ID },
    });
    expect(liaisonRead).toMatchObject({
      complaintId,
      purpose: 'detail_view',
      reason: null,
      by: { id: await accountId('penghubung-pupr'), role: 'liaison', nodeId: PUPR },
    });
    expect(Date.parse(adminRead!.at)).not.toBeNaN();
    // the record itself holds no identity, in the answer or in the log
    const stored = JSON.stringify((await stores.store.readStream('personal-data-access')).map((event) => [event.data, event.metadata]));
    for (const trace of TRACES) {
      expect(JSON.stringify(adminRead)).not.toContain(trace);
      expect(stored).not.toContain(trace);
    }
  });

  it('given a complaint with no identity shown (anonymous), then reading it needs no reason and records nothing', async () => {
    const complaintId = await disposedComplaint({ reporter: REPORTER, anonymous: true });
    const before = await newest();
    expect((await http.get(`/complaints/${complaintId}`, as('admin-ntt'))).status).toBe(200);
    expect(await newest()).toEqual(before);
  });

  it('given Admin Nasional erases an identity, then the reason is required and the erasure is recorded', async () => {
    const complaintId = await disposedComplaint();
    const missing = await http.post<{ errors: Array<{ field: string }> }>(`/complaints/${complaintId}/personal-data/erasure`, {}, as('admin-nasional'));
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error) => error.field)).toEqual(['body.reason']);
    const erased = await http.post(`/complaints/${complaintId}/personal-data/erasure`, { reason: 'Hak penghapusan pelapor' }, as('admin-nasional'));
    expect(erased.status).toBe(200);
    expect((await newest(1)).entries).toEqual([
      expect.objectContaining({ complaintId, purpose: 'erasure', reason: 'Hak penghapusan pelapor', by: expect.objectContaining({ role: 'admin_nasional' }) }),
    ]);
  });

  it('pages backwards by keyset: every entry once, newest first; others may not read it', async () => {
    const all = await newest(200);
    const seen: Entry[] = [];
    for (let before: string | null = null, pages = 0; pages < 50; pages += 1) {
      const page: Page = (await http.get<Page>(`/personal-data/access-log?limit=2${before === null ? '' : `&before=${before}`}`, as('admin-nasional'))).body;
      seen.push(...page.entries);
      if (page.next === null) break;
      before = page.next;
    }
    expect(all.entries.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(all.entries);
    for (const username of ['admin-ntt', 'penghubung-pupr']) expect((await http.get('/personal-data/access-log', as(username))).status).toBe(403);
    expect((await http.get('/personal-data/access-log')).status).toBe(401);
    expect((await http.get('/personal-data/access-log?before=x', as('admin-nasional'))).status).toBe(400);
  });
});
