import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { embeddedStores } from './support/stores';

// The organisation run by its administrators through the gateway: an instansi registered, a unit
// added and disposed to at once, restructured, deactivated; every refusal problem+json.

const PASSWORD = 'admin-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const ACCOUNTS = [
  { username: 'nasional', role: 'admin_nasional', nodeId: 'nasional' },
  { username: 'ntt', role: 'admin_instansi', nodeId: NTT_ID },
  { username: 'pupr', role: 'liaison', nodeId: PUPR },
] as const;

type Tree = {
  version: string;
  nodes: Array<{ id: string; kind: string; name: string; parentId: string | null; active: boolean; instansiKind: string | null }>;
};

describe('the organisation’s administration', () => {
  let stores: Stores;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'admin-secret-admin-secret-admin-secret-00',
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
  const tree = async (username = 'nasional') => (await app.inject({ method: 'GET', url: '/organisation', headers: as(username) })).json<Tree>();

  it('registers an instansi with its kind and zone, and its admin’s view of the tree stops at other instansi', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/organisation/instansi',
      headers: as('nasional'),
      payload: { id: 'pemkab-sikka', name: 'Pemerintah Kabupaten Sikka', kind: 'pemkab', timeZone: 'Asia/Makassar' },
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.headers.etag).toBe(`"${answer.json<{ version: string }>().version}"`);
    await app.inject({
      method: 'POST',
      url: '/organisation/nodes/pemkab-sikka/units',
      headers: as('nasional'),
      payload: { id: 'sikka-dinkes', name: 'Dinas Kesehatan' },
    });

    const all = await tree();
    expect(all.nodes.find((node) => node.id === 'pemkab-sikka')).toMatchObject({
      kind: 'instansi',
      instansiKind: 'pemkab',
      parentId: 'nasional',
      active: true,
    });
    const nttView = await tree('ntt');
    expect(nttView.nodes.some((node) => node.id === 'pemkab-sikka')).toBe(true);
    expect(nttView.nodes.some((node) => node.id === 'sikka-dinkes')).toBe(false);
    expect(nttView.nodes.some((node) => node.id === PUPR)).toBe(true);
  });

  it('lets a complaint be disposed to a unit created a moment ago, and not to one deactivated', async () => {
    const added = await app.inject({
      method: 'POST',
      url: `/organisation/nodes/${NTT_ID}/units`,
      headers: as('ntt'),
      payload: { name: 'Dinas Kesehatan NTT' },
    });
    expect(added.statusCode).toBe(201);
    const { nodeId } = added.json<{ nodeId: string }>();

    const submitted = await app.inject({
      method: 'POST',
      url: '/complaints',
      payload: { kind: 'pengaduan', channel: 'web', title: 'Puskesmas tutup', description: 'Puskesmas tutup di jam layanan.', addressedTo: NTT_ID },
    });
    const { complaintId } = submitted.json<{ complaintId: string }>();
    await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/verification`,
      headers: as('ntt'),
      payload: { slaClass: 'tanpa_pengawasan', category: 'Kesehatan' },
    });

    const deactivated = await app.inject({ method: 'POST', url: `/organisation/nodes/${PUPR}/deactivation`, headers: as('ntt'), payload: {} });
    expect(deactivated.statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers: as('ntt'), payload: { to: PUPR } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ type: expect.stringContaining('inactive-node'), detail: expect.stringContaining('body.to') });
    expect((await tree()).nodes.find((node) => node.id === PUPR)).toMatchObject({ active: false });

    const disposed = await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers: as('ntt'), payload: { to: nodeId } });
    expect(disposed.statusCode).toBe(200);
    expect(disposed.json()).toMatchObject({ status: 'BELUM_DITINDAKLANJUTI' });
  });

  it('renames and moves within the instansi, guarded by the tree’s version', async () => {
    const { version } = await tree();
    const renamed = await app.inject({
      method: 'PATCH',
      url: '/organisation/nodes/ntt-dinas-sosial',
      headers: as('ntt', { 'if-match': `"${version}"` }),
      payload: { name: 'Dinas Sosial dan Pemberdayaan' },
    });
    expect(renamed.statusCode).toBe(200);
    const stale = await app.inject({
      method: 'PATCH',
      url: '/organisation/nodes/ntt-dinas-sosial',
      headers: as('ntt', { 'if-match': `"${version}"` }),
      payload: { parentId: 'ntt-inspektorat-daerah' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    const moved = await app.inject({
      method: 'PATCH',
      url: '/organisation/nodes/ntt-dinas-sosial',
      headers: as('ntt'),
      payload: { parentId: 'ntt-inspektorat-daerah' },
    });
    expect(moved.statusCode).toBe(200);
    expect((await tree()).nodes.find((node) => node.id === 'ntt-dinas-sosial')).toMatchObject({
      kind: 'subunit',
      parentId: 'ntt-inspektorat-daerah',
      name: 'Dinas Sosial dan Pemberdayaan',
    });
  });

  it('answers every refusal as problem+json naming the field or the rule', async () => {
    const invalid = await app.inject({
      method: 'POST',
      url: '/organisation/instansi',
      headers: as('nasional'),
      payload: { id: 'Bad Id', name: 'x', kind: 'kerajaan', timeZone: 'Asia/Makassar' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: Array<{ field: string }> }>().errors.map((error) => error.field)).toEqual(expect.arrayContaining(['body.id', 'body.kind']));
    const both = await app.inject({ method: 'PATCH', url: `/organisation/nodes/${PUPR}`, headers: as('ntt'), payload: { name: 'x', parentId: NTT_ID } });
    expect(both.statusCode).toBe(400);
    expect(both.json<{ errors: Array<{ field: string }> }>().errors.map((error) => error.field)).toContain('body.name');
    const withChildren = await app.inject({ method: 'POST', url: '/organisation/nodes/ntt-inspektorat-daerah/deactivation', headers: as('ntt'), payload: {} });
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json()).toMatchObject({ code: 'HAS_ACTIVE_CHILDREN', detail: expect.stringContaining('ntt-dinas-sosial') });
    const future = await app.inject({
      method: 'POST',
      url: `/organisation/nodes/${NTT_ID}/units`,
      headers: as('ntt'),
      payload: { name: 'Besok', effectiveAt: '2999-01-01T00:00:00+08:00' },
    });
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({ code: 'EFFECTIVE_IN_FUTURE' });
    for (const answer of [invalid, both, withChildren, future]) expect(answer.headers['content-type']).toContain('application/problem+json');
  });
});
