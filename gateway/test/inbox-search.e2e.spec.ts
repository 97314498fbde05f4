import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores, serverStores } from './support/stores';

// Staff search their inbox in Bahasa Indonesia, within what their node sees; a list shows the
// caller's own write when asked to; opening the inbox records a visit at most every few minutes.

const PASSWORD = 'search-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const DIKBUD = 'ntt-dinas-pendidikan-dan-kebudayaan';

type Submitted = { complaintId: string; trackingId: string; version: string };
type Inbox = {
  total: number;
  nextCursor: string | null;
  lastSeenAt: string | null;
  items: Array<{ complaintId: string; trackingId: string; version: string }>;
};

describe.each([
  ['the embedded store (PGlite)', embeddedStores],
  ['a PostgreSQL server', () => serverStores('inbox_search')],
] as const)('searching the inbox on %s', (_name, openStores) => {
  let stores: Stores;
  let app: FastifyInstance;
  let http: HttpClient;
  let now = Date.parse('2026-03-02T01:00:00.000Z');
  const tokens: Record<string, string> = {};
  const as = (username: string) => ({ token: tokens[username]! });
  const complaints: Record<string, Submitted> = {};

  const submit = async (title: string, description: string, reporter?: Record<string, unknown>): Promise<Submitted> => {
    const answer = await http.post<Submitted>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title,
      description,
      addressedTo: NTT_ID,
      ...(reporter ? { reporter, anonymous: true } : {}),
    });
    expect(answer.status).toBe(201);
    return answer.body;
  };
  const verifyAndDispose = async (complaint: Submitted, to: string): Promise<string> => {
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' }, as('admin-ntt'));
    const disposed = await http.post<{ version: string }>(`/complaints/${complaint.complaintId}/dispositions`, { to }, as('admin-ntt'));
    expect(disposed.status).toBe(200);
    return disposed.body.version;
  };
  const search = (username: string, q: string) => http.get<Inbox>(`/inbox?q=${encodeURIComponent(q)}`, as(username));
  const titlesFound = async (username: string, q: string): Promise<string[]> => {
    const answer = await search(username, q);
    expect(answer.status).toBe(200);
    return answer.body.items.map((item) => Object.entries(complaints).find(([, c]) => c.complaintId === item.complaintId)?.[0] ?? item.complaintId).sort();
  };

  beforeAll(async () => {
    stores = await openStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'search-secret-search-secret-search-secret',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      now: () => new Date(now).toISOString(),
    }));
    http = httpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr', 'penghubung-dikbud']) tokens[username] = await http.token(username, PASSWORD);

    complaints.road = await submit('Jalan berlubang di Oebobo', 'Jalan-jalan di kelurahan kami rusak parah sejak musim hujan.');
    complaints.school = await submit('Atap sekolah bocor', 'Ruang kelas SMA tergenang setiap hujan, murid belajar di lorong.');
    complaints.bridge = await submit('Jembatan kayu hampir roboh', 'Warga Desa Nunkurus takut melintas, papan lantai lapuk.', {
      name: 'Yohanes Benu',
      phone: '+6281234567890',
    });
    await verifyAndDispose(complaints.road, PUPR);
    await verifyAndDispose(complaints.school, DIKBUD);
    const last = await verifyAndDispose(complaints.bridge, PUPR);
    // the last write read back: everything before it is in the read model too
    expect((await http.get(`/inbox?readAfter=${complaints.bridge.complaintId}:${last}`, as('admin-ntt'))).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given complaints in Bahasa Indonesia, when staff search with other forms of the words, then the stemmer finds them (title or description)', async () => {
    expect(await titlesFound('admin-ntt', 'lubang jalan')).toEqual(['road']);
    expect(await titlesFound('admin-ntt', 'bocor')).toEqual(['school']);
    // "hujan" is in two descriptions
    expect(await titlesFound('admin-ntt', 'hujan')).toEqual(['road', 'school']);
    expect((await search('admin-ntt', 'hujan')).body).toMatchObject({ total: 2, totalExact: true });
    expect(await titlesFound('admin-ntt', 'pesawat terbang')).toEqual([]);
  });

  it('given a part of a tracking id or a title word with a typo, then the complaint is found', async () => {
    const part = complaints.school!.trackingId.slice(-6);
    expect(await titlesFound('admin-ntt', part)).toEqual(['school']);
    expect(await titlesFound('admin-ntt', 'jembatn')).toEqual(['bridge']);
  });

  it('given a unit searching, then only what its own inbox holds is found, and never by the reporter’s identity', async () => {
    expect(await titlesFound('penghubung-pupr', 'hujan')).toEqual(['road']);
    expect(await titlesFound('penghubung-dikbud', 'jalan')).toEqual([]);
    expect(await titlesFound('admin-nasional', 'hujan')).toEqual(['road', 'school']);
    expect(await titlesFound('admin-ntt', 'Yohanes Benu')).toEqual([]);
    expect(await titlesFound('admin-ntt', '6281234567890')).toEqual([]);
  });

  it('given a bad search or read-after, then 400 naming the field', async () => {
    const short = await http.get<{ errors: Array<{ field: string }> }>('/inbox?q=a', as('admin-ntt'));
    expect(short.status).toBe(400);
    expect(short.body.errors[0]!.field).toBe('querystring.q');
    const malformed = await http.get<{ errors: Array<{ field: string }> }>('/inbox?readAfter=yesterday', as('admin-ntt'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]!.field).toBe('querystring.readAfter');
    const unwritten = await http.get<{ type: string; detail: string }>(`/inbox?readAfter=${complaints.road!.complaintId}:99`, as('admin-ntt'));
    expect(unwritten.status).toBe(400);
    expect(unwritten.body).toMatchObject({ type: 'https://lapor.go.id/problems/bad-read-after' });
  });

  it('given a write just answered, when the list is asked to read after it, then it shows that version', async () => {
    const fresh = await submit('Lampu jalan padam', 'Penerangan jalan umum di Jalan El Tari mati sepekan.');
    const inbox = await http.get<Inbox>(`/inbox?readAfter=${fresh.complaintId}:${fresh.version}&pageSize=200`, as('admin-ntt'));
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.find((item) => item.complaintId === fresh.complaintId)?.version).toBe(fresh.version);
  });

  it('given a unit paging and refreshing its inbox, then one visit is recorded per five minutes, and "last seen" is the one before', async () => {
    const visits = async () => (await stores.store.readStream(`unit-activity-${PUPR}`)).length;
    now += 6 * 60_000; // its searches above were visits; the next is due
    const before = await visits();
    const first = await http.get<Inbox>('/inbox?pageSize=1', as('penghubung-pupr'));
    expect(first.body.lastSeenAt).not.toBeNull();
    const visitedAt = new Date(now).toISOString();
    expect(await visits()).toBe(before + 1);

    now += 60_000;
    expect((await http.get<Inbox>(`/inbox?pageSize=1&cursor=${first.body.nextCursor}`, as('penghubung-pupr'))).body.lastSeenAt).toBe(visitedAt);
    expect((await http.get<Inbox>('/inbox', as('penghubung-pupr'))).body.lastSeenAt).toBe(visitedAt);
    expect(await visits()).toBe(before + 1);

    now += 5 * 60_000;
    expect((await http.get<Inbox>('/inbox', as('penghubung-pupr'))).body.lastSeenAt).toBe(visitedAt);
    expect(await visits()).toBe(before + 2);
  });
});
