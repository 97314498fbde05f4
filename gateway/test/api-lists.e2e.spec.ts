import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

// Every list that can grow pages the same way (limit, cursor, nextCursor, and an RFC 8288 Link to
// the next page), and every 201 names in Location a resource a client can read there: as a client
// sees it through the embedded gateway on PGlite, and as the document the gateway serves says it.

const PASSWORD = 'api-lists-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';

/** The lists that page, as `METHOD path` of the document; any other list is bounded by nature (see each route). */
const PAGED_LISTS = [
  'GET /api-keys',
  'GET /audit-trail',
  'GET /inbox',
  'GET /integrations/complaints',
  'GET /open311/v2/requests.{format}',
  'GET /personal-data/access-log',
  'GET /staff-accounts',
  'GET /webhooks/subscriptions',
  'GET /webhooks/subscriptions/{subscriptionId}/deliveries',
];

type Parameter = { name: string; in: string };
type Operation = { parameters?: Parameter[]; responses: Record<string, { headers?: Record<string, unknown> }> };
type Document = { paths: Record<string, Record<string, Operation>> };
type Json = Record<string, unknown>;

describe('lists page alike, and every Location can be read', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let http: HttpClient;
  let baseUrl: string;
  let document: Document;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'api-lists-secret-api-lists-secret-0000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
    }));
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    http = httpClient(baseUrl);
    for (const username of ['admin-nasional', 'admin-ntt']) tokens[username] = await http.token(username, PASSWORD);
    document = (await http.get<Document>('/openapi.json')).body;
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string) => ({ token: tokens[username]! });

  it('given the document, then exactly the lists that page declare the Link header, each with limit and cursor (Open311 with its numbered pages)', () => {
    const withLink = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.responses['200']?.headers?.Link !== undefined)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(withLink.sort()).toEqual([...PAGED_LISTS].sort());
    for (const list of PAGED_LISTS) {
      const [method, path] = list.split(' ') as [string, string];
      const query = (document.paths[path]![method.toLowerCase()]!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      // older names (pageSize, before, page) stay for the clients that use them
      const paging = path.startsWith('/open311/') ? ['page', 'page_size'] : ['cursor', 'limit'];
      expect({ list, paging: query.filter((name) => paging.includes(name)).sort() }).toEqual({ list, paging });
    }
  });

  it('given more items than a page holds, when a client follows Link rel="next" from a page of one, then it meets every item once and the last page has no Link', async () => {
    // two of everything a list holds, at least
    const issued = await http.post<{ key: string }>('/api-keys', { name: 'SIMPEL NTT', instansiId: NTT_ID, channels: ['integration'] }, as('admin-ntt'));
    await http.post('/api-keys', { name: 'e-Lapor Kupang', instansiId: NTT_ID, channels: ['integration'] }, as('admin-ntt'));
    for (const username of ['liaison-satu', 'liaison-dua']) {
      expect((await http.post('/staff-accounts', { username, role: 'liaison', nodeId: PUPR }, as('admin-ntt'))).status).toBe(201);
    }
    const subscribed = await http.post<{ id: string }>(
      '/webhooks/subscriptions',
      { url: 'https://simpel.ntt.go.id/hook-1', eventTypes: ['*'] },
      as('admin-ntt'),
    );
    await http.post('/webhooks/subscriptions', { url: 'https://simpel.ntt.go.id/hook-2', eventTypes: ['*'] }, as('admin-ntt'));
    const complaintIds: string[] = [];
    for (const title of ['Jalan berlubang di Oebobo', 'Lampu jalan padam di Kelapa Lima']) {
      const reporter = { name: 'Maria Ndun', phone: '+6281234567890' };
      const answer = await http.post<{ complaintId: string }>('/complaints', {
        kind: 'pengaduan',
        channel: 'web',
        title,
        description: 'Mohon segera.',
        addressedTo: NTT_ID,
        reporter,
      });
      complaintIds.push(answer.body.complaintId);
      const system = { headers: { 'x-api-key': issued.body.key } };
      await http.post(
        '/complaints',
        { kind: 'pengaduan', channel: 'integration', title, description: 'Dari SIMPEL.', externalReference: `SIMPEL-${title}` },
        system,
      );
    }
    for (const complaintId of complaintIds) {
      const read = await http.get(`/complaints/${complaintId}?reason=${encodeURIComponent('Verifikasi identitas pelapor')}`, as('admin-nasional'));
      expect(read.status).toBe(200);
    }

    const system = { headers: { 'x-api-key': issued.body.key } };
    const lists: Array<{ path: string; by: { token?: string; headers?: Record<string, string> }; items: (body: unknown) => Json[]; key: string }> = [
      { path: '/api-keys', by: as('admin-ntt'), items: (body) => body as Json[], key: 'keyId' },
      { path: '/staff-accounts', by: as('admin-ntt'), items: (body) => (body as { accounts: Json[] }).accounts, key: 'accountId' },
      { path: '/webhooks/subscriptions', by: as('admin-ntt'), items: (body) => (body as { subscriptions: Json[] }).subscriptions, key: 'id' },
      {
        path: `/webhooks/subscriptions/${subscribed.body.id}/deliveries`,
        by: as('admin-ntt'),
        items: (body) => (body as { deliveries: Json[] }).deliveries,
        key: 'id',
      },
      { path: '/audit-trail', by: as('admin-nasional'), items: (body) => (body as { entries: Json[] }).entries, key: 'cursor' },
      { path: '/personal-data/access-log', by: as('admin-nasional'), items: (body) => (body as { entries: Json[] }).entries, key: 'cursor' },
      { path: '/inbox', by: as('admin-ntt'), items: (body) => (body as { items: Json[] }).items, key: 'complaintId' },
      { path: '/integrations/complaints', by: system, items: (body) => (body as { items: Json[] }).items, key: 'complaintId' },
      { path: '/open311/v2/requests.json', by: {}, items: (body) => body as Json[], key: 'service_request_id' },
    ];
    expect(lists).toHaveLength(PAGED_LISTS.length);

    for (const list of lists) {
      const open311 = list.path.startsWith('/open311/');
      // the read models trail the writes: wait until the whole list, in one page, holds two
      const whole = await eventually(async () => list.items((await http.get(`${list.path}?${open311 ? 'page_size' : 'limit'}=200`, list.by)).body), 2);
      const seen: unknown[] = [];
      let next: string | null = `${list.path}?${open311 ? 'page_size' : 'limit'}=1`;
      for (let pages = 0; next !== null; pages++) {
        if (pages > whole.length) throw new Error(`${list.path}: more pages than items`);
        const page: { status: number; headers: Headers; body: unknown } = await http.get(next, list.by);
        expect({ list: list.path, status: page.status }).toEqual({ list: list.path, status: 200 });
        const items = list.items(page.body);
        expect(items.length).toBeLessThanOrEqual(1);
        seen.push(...items.map((item) => item[list.key]));
        next = linkNext(page.headers.get('link'));
        // an answer that is an object says the same as its Link
        const nextCursor = (page.body as { nextCursor?: string | null }).nextCursor;
        if (nextCursor !== undefined) expect({ list: list.path, more: nextCursor !== null }).toEqual({ list: list.path, more: next !== null });
      }
      expect({ list: list.path, seen }).toEqual({ list: list.path, seen: whole.map((item) => item[list.key]) });
    }
  });

  it('given a cursor the list never handed out, then 400 names querystring.cursor', async () => {
    const answer = await http.get<{ errors: Array<{ field: string }> }>('/staff-accounts?cursor=bukan-kursor!', as('admin-nasional'));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error) => error.field)).toEqual(['querystring.cursor']);
  });

  it('given each operation that answers 201, then its Location is read back with 200 by whoever made it', async () => {
    const made: Array<{ operation: string; path: string; body: unknown; by: { token?: string; headers?: Record<string, string> } }> = [
      { operation: 'POST /complaints', path: '/complaints', body: complaint(), by: {} },
      { operation: 'POST /complaints', path: '/complaints', body: complaint({ confidential: true }), by: {} },
      { operation: 'POST /api-keys', path: '/api-keys', body: { name: 'Sistem Dinas', instansiId: NTT_ID, channels: ['integration'] }, by: as('admin-ntt') },
      { operation: 'POST /categories', path: '/categories', body: { id: 'jalan-rusak-uji', name: 'Jalan rusak' }, by: as('admin-nasional') },
      { operation: 'POST /staff-accounts', path: '/staff-accounts', body: { username: 'liaison-tiga', role: 'liaison', nodeId: PUPR }, by: as('admin-ntt') },
      {
        operation: 'POST /webhooks/subscriptions',
        path: '/webhooks/subscriptions',
        body: { url: 'https://simpel.ntt.go.id/hook-3', eventTypes: ['ComplaintSubmitted'] },
        by: as('admin-ntt'),
      },
      {
        operation: 'POST /organisation/instansi',
        path: '/organisation/instansi',
        body: { id: 'pemkab-sikka', name: 'Pemerintah Kabupaten Sikka', kind: 'pemkab', timeZone: 'Asia/Makassar' },
        by: as('admin-nasional'),
      },
      {
        operation: 'POST /organisation/nodes/{nodeId}/units',
        path: '/organisation/nodes/pemkab-sikka/units',
        body: { id: 'sikka-dinkes', name: 'Dinas Kesehatan' },
        by: as('admin-nasional'),
      },
      {
        operation: 'POST /organisation/nodes/{nodeId}/units',
        path: '/organisation/nodes/pemkab-sikka/units',
        body: { id: 'sikka-dinsos', name: 'Dinas Sosial' },
        by: as('admin-nasional'),
      },
      {
        operation: 'POST /organisation/nodes/{nodeId}/split',
        path: '/organisation/nodes/sikka-dinkes/split',
        body: {
          into: [
            { id: 'sikka-dinkes-rs', name: 'Dinas Kesehatan (Rumah Sakit)' },
            { id: 'sikka-dinkes-pk', name: 'Dinas Kesehatan (Puskesmas)' },
          ],
          heirId: 'sikka-dinkes-rs',
        },
        by: as('admin-nasional'),
      },
      {
        operation: 'POST /organisation/merges',
        path: '/organisation/merges',
        body: { unitIds: ['sikka-dinsos'], successor: { id: 'sikka-dinkes-pk' } },
        by: as('admin-nasional'),
      },
      {
        operation: 'POST /organisation/nodes/{nodeId}/onboarding',
        path: '/organisation/nodes/pemkab-sikka/onboarding',
        body: 'Unit Kerja;Induk;Nama Penghubung;Email\r\nDinas Pendidikan;;;\r\n',
        by: { ...as('admin-nasional'), headers: { 'content-type': 'text/csv' } },
      },
    ];
    // every 201 of the document is made here
    const created = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.responses['201'] !== undefined)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect([...new Set(made.map((one) => one.operation))].sort()).toEqual(created.sort());

    for (const one of made) {
      const answer = typeof one.body === 'string' ? await upload(one.path, one.body, one.by) : await http.post(one.path, one.body, one.by);
      expect({ made: one.path, status: answer.status }).toEqual({ made: one.path, status: 201 });
      const location = answer.headers.get('location');
      expect(location).toMatch(/^\//);
      // the citizen follows their own Location as the public; a confidential complaint is read by staff
      const reader = one.by.token ? { token: one.by.token } : {};
      const read = await http.get(location!, location!.startsWith('/complaints/') ? as('admin-ntt') : reader);
      expect({ made: one.path, location, status: read.status }).toEqual({ made: one.path, location, status: 200 });
    }
  });

  /** A sheet sent as it is (the JSON client would quote it). */
  async function upload(path: string, sheet: string, by: { token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers }> {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${by.token}`, ...by.headers }, body: sheet });
    await response.arrayBuffer();
    return { status: response.status, headers: response.headers };
  }

  async function eventually(read: () => Promise<Json[]>, atLeast: number): Promise<Json[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const items = await read();
      if (items.length >= atLeast) return items;
      if (Date.now() > deadline) throw new Error(`only ${items.length} items`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

const complaint = (extra: Json = {}): Json => ({
  kind: 'pengaduan',
  channel: 'web',
  title: 'Saluran air tersumbat',
  description: 'Air meluap ke jalan setiap hujan.',
  addressedTo: NTT_ID,
  ...extra,
});

/** The target of `rel="next"` in a Link header (RFC 8288), or null. */
function linkNext(header: string | null): string | null {
  if (header === null) return null;
  for (const link of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="?next"?\s*$/.exec(link);
    if (match) return match[1]!;
  }
  return null;
}
