import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import { embeddedStores } from './support/stores';

// The category taxonomy run through the gateway: Admin Nasional's national kategori, an instansi
// admin's own additions (seen only by its instansi), renames and deactivations guarded by the
// taxonomy's ETag; every refusal problem+json naming the rule or the field.

const PASSWORD = 'admin-password';
const ACCOUNTS = [
  { username: 'nasional', role: 'admin_nasional', nodeId: 'nasional' },
  { username: 'ntt', role: 'admin_instansi', nodeId: NTT_ID },
] as const;

type Taxonomy = { version: string; categories: Array<{ id: string; name: string; parentId: string | null; instansiId: string | null; active: boolean }> };

describe('the category taxonomy’s administration', () => {
  let stores: Stores;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'categories-secret-categories-secret-0000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: ACCOUNTS.map((account) => ({ ...account, password: PASSWORD })),
    }));
    for (const { username } of ACCOUNTS) {
      const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password: PASSWORD } });
      tokens.set(username, answer.json<{ accessToken: string }>().accessToken);
    }
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${tokens.get(username)}`, ...extra });
  const list = async (username: string) => (await app.inject({ method: 'GET', url: '/categories', headers: as(username) })).json<Taxonomy>();

  it('takes national kategori from Admin Nasional and an instansi’s own sub-kategori from its admin', async () => {
    const kategori = await app.inject({ method: 'POST', url: '/categories', headers: as('nasional'), payload: { id: 'infrastruktur', name: 'Infrastruktur' } });
    expect(kategori.statusCode).toBe(201);
    expect(kategori.headers.etag).toBe(`"${kategori.json<{ version: string }>().version}"`);

    const own = await app.inject({
      method: 'POST',
      url: '/categories',
      headers: as('ntt'),
      payload: { id: 'ntt-jalan-provinsi', name: 'Jalan Provinsi', parentId: 'infrastruktur', instansiId: NTT_ID },
    });
    expect(own.statusCode).toBe(201);

    expect((await list('ntt')).categories.map((category) => category.id)).toEqual(['infrastruktur', 'ntt-jalan-provinsi']);
  });

  it('refuses an instansi admin the national taxonomy, and a body that does not parse names the field', async () => {
    const national = await app.inject({ method: 'POST', url: '/categories', headers: as('ntt'), payload: { id: 'kesehatan', name: 'Kesehatan' } });
    expect(national.statusCode).toBe(403);
    expect(national.headers['content-type']).toContain('application/problem+json');

    const badId = await app.inject({ method: 'POST', url: '/categories', headers: as('nasional'), payload: { id: 'Bad Id', name: 'X' } });
    expect(badId.statusCode).toBe(400);
    expect(badId.body).toContain('id');
  });

  it('renames with If-Match, and refuses a stale version', async () => {
    const { version } = await list('nasional');
    const renamed = await app.inject({
      method: 'PATCH',
      url: '/categories/infrastruktur',
      headers: as('nasional', { 'if-match': `"${version}"` }),
      payload: { name: 'Infrastruktur dan Tata Ruang' },
    });
    expect(renamed.statusCode).toBe(200);
    const stale = await app.inject({
      method: 'POST',
      url: '/categories/infrastruktur/deactivation',
      headers: as('nasional', { 'if-match': `"${version}"` }),
    });
    expect(stale.statusCode).toBe(409);
    expect((await list('nasional')).categories.find((category) => category.id === 'infrastruktur')).toMatchObject({
      name: 'Infrastruktur dan Tata Ruang',
      active: true,
    });
  });

  it('deactivates a kategori once its sub-kategori are', async () => {
    const early = await app.inject({ method: 'POST', url: '/categories/infrastruktur/deactivation', headers: as('nasional') });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ code?: string }>()).toMatchObject({ code: 'CATEGORY_HAS_ACTIVE_CHILDREN' });
    expect((await app.inject({ method: 'POST', url: '/categories/ntt-jalan-provinsi/deactivation', headers: as('ntt') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/categories/infrastruktur/deactivation', headers: as('nasional') })).statusCode).toBe(200);
  });

  it('verification assigns a category the instansi sees and is active; any other is 422 naming the field', async () => {
    await app.inject({ method: 'POST', url: '/categories', headers: as('nasional'), payload: { id: 'pendidikan', name: 'Pendidikan' } });
    const verify = async (category: string) => {
      const submitted = await app.inject({
        method: 'POST',
        url: '/complaints',
        payload: { kind: 'pengaduan', channel: 'web', title: 'Sekolah rusak', description: 'Atap sekolah bocor', addressedTo: NTT_ID },
      });
      const { complaintId } = submitted.json<{ complaintId: string }>();
      return app.inject({
        method: 'POST',
        url: `/complaints/${complaintId}/verification`,
        headers: as('ntt'),
        payload: { slaClass: 'tanpa_pengawasan', category },
      });
    };
    expect((await verify('pendidikan')).statusCode).toBe(200);
    for (const refused of ['tidak-ada', 'infrastruktur', 'ntt-jalan-provinsi']) {
      const answer = await verify(refused);
      expect(answer.statusCode).toBe(422);
      expect(answer.json<{ errors: Array<{ field: string }> }>().errors).toEqual([expect.objectContaining({ field: 'category' })]);
    }
  });

  it('records every change in the audit trail: Admin Nasional reads them all, an instansi admin its own instansi’s categories and no national one', async () => {
    const added = await app.inject({
      method: 'POST',
      url: '/categories',
      headers: as('ntt'),
      payload: { id: 'ntt-air-bersih', name: 'Air Bersih', instansiId: NTT_ID },
    });
    expect(added.statusCode).toBe(201);
    const renamed = await app.inject({
      method: 'PATCH',
      url: '/categories/ntt-air-bersih',
      headers: as('ntt'),
      payload: { name: 'Air Bersih dan Sanitasi' },
      remoteAddress: '192.0.2.77',
    });
    expect(renamed.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'PATCH', url: '/categories/pendidikan', headers: as('nasional'), payload: { name: 'Pendidikan dan Kebudayaan' } }))
        .statusCode,
    ).toBe(200);

    type Entry = { action: string; subject: string; clientAddress: string | null; actor: { accountId: string; role: string } | null; detail: object };
    const trail = async (username: string) =>
      (await app.inject({ method: 'GET', url: '/audit-trail?limit=200', headers: as(username) })).json<{ entries: Entry[] }>().entries;
    const all = await readUntil(
      () => trail('nasional'),
      (entries) => entries.some((entry) => entry.action === 'CategoryRenamed' && entry.subject === 'pendidikan'),
    );
    expect(all.find((entry) => entry.action === 'CategoryRenamed' && entry.subject === 'ntt-air-bersih')).toMatchObject({
      clientAddress: '192.0.2.77',
      actor: { role: 'admin_instansi' },
      detail: { name: 'Air Bersih dan Sanitasi', previousName: 'Air Bersih' },
    });
    expect(all.some((entry) => entry.action === 'CategoryAdded' && entry.subject === 'infrastruktur')).toBe(true);

    // the instansi admin: its own categories' changes, even those whose event names no instansi (a rename, a deactivation)
    const own = (await trail('ntt')).filter((entry) => entry.action.startsWith('Category')).map((entry) => `${entry.action} ${entry.subject}`);
    expect(own).toEqual(
      expect.arrayContaining([
        'CategoryAdded ntt-jalan-provinsi',
        'CategoryDeactivated ntt-jalan-provinsi',
        'CategoryAdded ntt-air-bersih',
        'CategoryRenamed ntt-air-bersih',
      ]),
    );
    expect(own.filter((line) => line.endsWith(' pendidikan') || line.endsWith(' infrastruktur'))).toEqual([]);
  });
});
