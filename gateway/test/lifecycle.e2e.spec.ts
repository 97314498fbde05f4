import { LOG_START, type EventStore } from '@lapor/event-store';
import type { Stores } from '@lapor/http-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores, serverStores } from './support/stores';

const PASSWORD = 'e2e-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const DIKBUD = 'ntt-dinas-pendidikan-dan-kebudayaan';

type Submitted = { complaintId: string; trackingId: string; reporterSecret: string; version: string };
type Accepted = { status: string; version: string };

// The whole lifecycle over real HTTP through the gateway, on both stores.
describe.each([
  ['the embedded store (PGlite)', embeddedStores],
  ['a PostgreSQL server', () => serverStores('lifecycle')],
] as const)('the complaint lifecycle on %s', (_name, openStores) => {
  let stores: Stores;
  let store: EventStore;
  let app: FastifyInstance;
  let http: HttpClient;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stores = await openStores();
    store = stores.store;
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'e2e-secret-e2e-secret-e2e-secret-e2e',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
    }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    http = httpClient(address);
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr', 'penghubung-dikbud']) tokens[username] = await http.token(username, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const submit = async (body: Record<string, unknown> = {}): Promise<Submitted> => {
    const answer = await http.post<Submitted>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Jalan provinsi rusak di Kupang',
      description: 'Jalan berlubang besar sejak musim hujan, membahayakan pengendara.',
      addressedTo: NTT_ID,
      ...body,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  };
  const as = (username: string) => ({ token: tokens[username]! });

  it('happy path: submitted, verified, disposed with a copy, followed up, replied; tracked publicly all along', async () => {
    const complaint = await submit();
    expect(complaint.trackingId).toMatch(/^LAP-[2-9A-Z]{10}$/);
    expect(complaint.reporterSecret.length).toBeGreaterThanOrEqual(20);

    const verified = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' },
      as('admin-ntt'),
    );
    expect(verified.status).toBe(200);
    expect(verified.headers.get('etag')).toBe(`"${verified.body.version}"`);

    const disposed = await http.post<Accepted>(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR, tembusan: [DIKBUD] }, as('admin-ntt'));
    expect(disposed.body).toMatchObject({ status: 'BELUM_DITINDAKLANJUTI' });

    const followedUp = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/follow-ups`,
      { message: 'Tim sudah meninjau lokasi; perbaikan dijadwalkan minggu depan.' },
      as('penghubung-pupr'),
    );
    expect(followedUp.body).toMatchObject({ status: 'PROSES' });

    const replied = await http.post<Accepted>(
      `/tracking/${complaint.trackingId}/replies`,
      { message: 'Terima kasih, saya tunggu.' },
      { headers: { 'x-reporter-secret': complaint.reporterSecret } },
    );
    expect(replied.status).toBe(200);

    const tracked = await http.get<{ status: string; history: Array<{ event: string }> }>(`/tracking/${complaint.trackingId.toLowerCase()}`);
    expect(tracked.body.status).toBe('PROSES');
    expect(tracked.body.history.map((h) => h.event)).toEqual([
      'Laporan diterima',
      'Laporan diverifikasi',
      'Didisposisikan ke instansi/unit terkait',
      'Tindak lanjut',
      'Tanggapan pelapor',
    ]);
  });

  it('tembusan: the copied unit sees the complaint in its inbox and can read it, but cannot follow it up', async () => {
    const complaint = await submit();
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Pendidikan' }, as('admin-ntt'));
    const disposed = await http.post<Accepted>(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR, tembusan: [DIKBUD] }, as('admin-ntt'));
    await waitForIndex(complaint.complaintId, BigInt(disposed.body.version));

    const inbox = await http.get<{ items: Array<{ complaintId: string; relation: string }> }>('/inbox', as('penghubung-dikbud'));
    expect(inbox.body.items).toContainEqual(expect.objectContaining({ complaintId: complaint.complaintId, relation: 'tembusan' }));
    expect((await http.get(`/complaints/${complaint.complaintId}`, as('penghubung-dikbud'))).status).toBe(200);

    const refused = await http.post(`/complaints/${complaint.complaintId}/follow-ups`, { message: 'Bukan kami.' }, as('penghubung-dikbud'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'NOT_ASSIGNED_UNIT' });
  });

  it('Bukan Wewenang: the unit returns it, the instansi re-disposes it; every hop is kept and shown', async () => {
    const complaint = await submit();
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, as('admin-ntt'));
    await http.post(`/complaints/${complaint.complaintId}/dispositions`, { to: DIKBUD }, as('admin-ntt'));
    const returned = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/returns`,
      { reason: 'Jalan provinsi adalah urusan Dinas PUPR.' },
      as('penghubung-dikbud'),
    );
    expect(returned.body).toMatchObject({ status: 'BELUM_TERVERIFIKASI' });
    await http.post(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'));

    const detail = await http.get<{ hops: Array<{ type: string; from: string; to: string }>; assignedUnitId: string }>(
      `/complaints/${complaint.complaintId}`,
      as('admin-ntt'),
    );
    expect(detail.body.assignedUnitId).toBe(PUPR);
    expect(detail.body.hops.map(({ type, from, to }) => ({ type, from, to }))).toEqual([
      { type: 'disposition', from: NTT_ID, to: DIKBUD },
      { type: 'return', from: DIKBUD, to: NTT_ID },
      { type: 'disposition', from: NTT_ID, to: PUPR },
    ]);
    // The unit that gave it back handled it once: it can still read what became of it.
    expect((await http.get(`/complaints/${complaint.complaintId}`, as('penghubung-dikbud'))).status).toBe(200);
  });

  it('Bukan Wewenang at the instansi level: NTT returns it to Admin Nasional, who disposes it again', async () => {
    const complaint = await submit();
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Pertanahan' }, as('admin-ntt'));
    const returned = await http.post<Accepted>(`/complaints/${complaint.complaintId}/returns`, { reason: 'Urusan Kementerian ATR/BPN.' }, as('admin-ntt'));
    expect(returned.status).toBe(200);
    const redisposed = await http.post<Accepted>(`/complaints/${complaint.complaintId}/dispositions`, { to: NTT_ID }, as('admin-nasional'));
    expect(redisposed.status).toBe(200);
    const detail = await http.get<{ hops: Array<{ type: string; from: string; to: string; reason: string | null }> }>(
      `/complaints/${complaint.complaintId}`,
      as('admin-nasional'),
    );
    expect(detail.body.hops).toEqual([
      expect.objectContaining({ type: 'return', from: NTT_ID, to: 'nasional', reason: 'Urusan Kementerian ATR/BPN.' }),
      expect.objectContaining({ type: 'disposition', from: 'nasional', to: NTT_ID }),
    ]);
    // Nasional has no level above it
    const atTop = await http.post(`/complaints/${complaint.complaintId}/returns`, { reason: 'x' }, as('admin-nasional'));
    expect(atTop.status).toBe(403);
  });

  it('Tunda, then the reporter supplies the data and verification goes on', async () => {
    const complaint = await submit();
    const tunda = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/missing-data-requests`,
      { message: 'Mohon sebutkan lokasi persisnya.' },
      as('admin-ntt'),
    );
    expect(tunda.body.status).toBe('TUNDA');
    const supplied = await http.post<Accepted>(
      `/tracking/${complaint.trackingId}/missing-data`,
      { message: 'Jl. Timor Raya km 12.' },
      { headers: { 'x-reporter-secret': complaint.reporterSecret } },
    );
    expect(supplied.body.status).toBe('BELUM_TERVERIFIKASI');
    const verified = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
      as('admin-ntt'),
    );
    expect(verified.status).toBe(200);
  });

  it('archive with a reason; an archived complaint takes no more commands', async () => {
    const complaint = await submit();
    const archived = await http.post<Accepted>(`/complaints/${complaint.complaintId}/archive`, { reason: 'SPAM' }, as('admin-ntt'));
    expect(archived.body.status).toBe('ARSIP');
    const late = await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'x' }, as('admin-ntt'));
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.body).toMatchObject({ code: 'COMPLAINT_CLOSED' });
  });

  it('an aspiration answered directly is completed, and the reporter rates it once', async () => {
    const complaint = await submit({ kind: 'aspirasi', addressedTo: 'nasional', title: 'Usul taman baca di desa' });
    const answered = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/aspiration-answer`,
      { answer: 'Usulan diteruskan ke program perpustakaan desa.' },
      as('admin-nasional'),
    );
    expect(answered.body.status).toBe('SELESAI');
    const secret = { headers: { 'x-reporter-secret': complaint.reporterSecret } };
    expect((await http.post(`/tracking/${complaint.trackingId}/rating`, { rating: 5 }, secret)).status).toBe(200);
    const again = await http.post(`/tracking/${complaint.trackingId}/rating`, { rating: 4 }, secret);
    expect(again.body).toMatchObject({ status: 409, code: 'ALREADY_RATED' });
    const wrongSecret = await http.post(`/tracking/${complaint.trackingId}/rating`, { rating: 1 }, { headers: { 'x-reporter-secret': 'x'.repeat(32) } });
    expect(wrongSecret.status).toBe(404);
  });

  it('an anonymous, confidential complaint: the unit sees no reporter reference, the public page does not show it', async () => {
    const complaint = await submit({ anonymous: true, confidential: true });
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Pungli' }, as('admin-ntt'));
    await http.post(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'));
    const seen = await http.get<Record<string, unknown>>(`/complaints/${complaint.complaintId}`, as('penghubung-pupr'));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ anonymous: true, confidential: true });
    const text = JSON.stringify(seen.body);
    expect(text).not.toContain('reporterRef');
    expect(text).not.toContain('rpt-');
    expect((await http.get(`/tracking/${complaint.trackingId}`)).status).toBe(404);
  });

  it('two admins verify at once with the same If-Match: one wins, the other gets 409 with the current version', async () => {
    const complaint = await submit();
    const attempt = () =>
      http.post(
        `/complaints/${complaint.complaintId}/verification`,
        { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
        { ...as('admin-ntt'), headers: { 'if-match': `"${complaint.version}"` } },
      );
    const answers = await Promise.all([attempt(), attempt()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    expect(['1', undefined]).toContain(loser.body.currentVersion as string | undefined);
  });

  it('staff outside the complaint’s path get 404, not 403: its existence does not leak', async () => {
    const complaint = await submit();
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, as('admin-ntt'));
    await http.post(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'));
    expect((await http.get(`/complaints/${complaint.complaintId}`, as('penghubung-dikbud'))).status).toBe(404);
    expect((await http.post(`/complaints/${complaint.complaintId}/follow-ups`, { message: 'x' }, as('penghubung-dikbud'))).status).toBe(404);
    expect((await http.get(`/complaints/${complaint.complaintId}`)).status).toBe(401);
  });

  it('bad input: unknown fields and wrong values are refused with problem+json naming the field', async () => {
    const answer = await http.post<{ errors: Array<{ field: string }> }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: '',
      description: 'x',
      addressedTo: NTT_ID,
      extra: 'not allowed',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const fields = answer.body.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.extra']));
  });

  it('Idempotency-Key: a retry gets the first answer and writes nothing; the key on another body is 422', async () => {
    const body = { kind: 'pengaduan', channel: 'web', title: 'Air PDAM mati', description: 'Sejak kemarin pagi.', addressedTo: NTT_ID };
    const key = { headers: { 'idempotency-key': randomUUID() } };
    const first = await http.post<Submitted>('/complaints', body, key);
    const retry = await http.post<Submitted>('/complaints', body, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body); // the same tracking id and reporter secret
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    const stream = await store.readStream(`complaint-${first.body.complaintId}`);
    expect(stream).toHaveLength(1);

    // two copies in flight at once: one runs, the other waits its turn (409) or gets the same answer
    const raceKey = { headers: { 'idempotency-key': randomUUID() } };
    const race = await Promise.all([http.post<Submitted>('/complaints', body, raceKey), http.post<Submitted>('/complaints', body, raceKey)]);
    expect(race.map((a) => a.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const answer of race) expect([201, 409]).toContain(answer.status);
    const raced = race.filter((a) => a.status === 201).map((a) => a.body.complaintId);
    expect(new Set(raced).size).toBe(1);

    const other = await http.post('/complaints', { ...body, title: 'Lain' }, key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ type: 'https://lapor.go.id/problems/idempotency-key-reused' });

    // A staff command retried after a lost answer: one verification, the same answer twice.
    const verifyKey = { ...as('admin-ntt'), headers: { 'idempotency-key': `verify-${first.body.complaintId}` } };
    const verifyBody = { slaClass: 'tanpa_pengawasan', category: 'Air bersih' };
    const verified = await http.post(`/complaints/${first.body.complaintId}/verification`, verifyBody, verifyKey);
    const again = await http.post(`/complaints/${first.body.complaintId}/verification`, verifyBody, verifyKey);
    expect([verified.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(verified.body);
    expect((await store.readStream(`complaint-${first.body.complaintId}`)).map((e) => e.type)).toEqual(['ComplaintSubmitted', 'ComplaintVerified']);
  });

  it('Idempotency-Key without a credential: a short or guessable key is refused with 400 naming the header; a random one works', async () => {
    const body = { kind: 'pengaduan', channel: 'web', title: 'Lampu jalan padam', description: 'Di Oebobo.', addressedTo: NTT_ID };
    const short = await http.post<{ detail: string }>('/complaints', body, { headers: { 'idempotency-key': 'submit-1' } });
    expect(short.status).toBe(400);
    expect(short.body.detail).toMatch(/^Idempotency-Key: /);
    expect((await http.post('/complaints', body, { headers: { 'idempotency-key': randomBytes(16).toString('base64url') } })).status).toBe(201);
  });

  it('Idempotency-Key per caller: staff A and B with the same key each get their own result', async () => {
    const complaint = await submit();
    const shared = { 'idempotency-key': 'staff-key-1' };
    const verified = await http.post<Accepted>(
      `/complaints/${complaint.complaintId}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
      { ...as('admin-ntt'), headers: shared },
    );
    expect(verified.status).toBe(200);
    // another account, the same key, another request: run as its own, not 422 and not the first one's answer
    const other = await submit();
    const byNational = await http.post<Accepted>(
      `/complaints/${other.complaintId}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
      { ...as('admin-nasional'), headers: shared },
    );
    expect(byNational.headers.get('idempotent-replayed')).toBeNull();
    expect(byNational.status).not.toBe(422);
  });

  it('Idempotency-Key: a refused request records nothing, and nothing of it reaches the event log', async () => {
    const countRecords = async () => Number((await stores.db.query<{ n: string }>('SELECT count(*) AS n FROM idempotency.requests'))[0]!.n);
    await submit(); // the table exists
    const before = await countRecords();
    const complaint = await submit();
    for (let i = 0; i < 5; i++) {
      const refused = await http.post(
        `/complaints/${complaint.complaintId}/verification`,
        { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
        { headers: { 'idempotency-key': randomUUID() } },
      );
      expect(refused.status).toBe(401);
    }
    const forbidden = await http.post(
      `/complaints/${complaint.complaintId}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'Jalan' },
      { ...as('penghubung-dikbud'), headers: { 'idempotency-key': randomUUID() } },
    );
    expect(forbidden.status).toBe(403);
    expect(await countRecords()).toBe(before);
    const log = await store.readGlobalLog(LOG_START, 100_000);
    expect(log.events.filter((event) => event.type.startsWith('Request'))).toEqual([]);
  });

  it('API keys: an agency system submits on the channels its key allows, to its own instansi; a revoked key is refused', async () => {
    const issued = await http.post<{ key: string; apiKey: { keyId: string } }>(
      '/api-keys',
      { name: 'SIMPEL NTT', instansiId: NTT_ID, channels: ['integration'] },
      as('admin-ntt'),
    );
    expect(issued.status).toBe(201);
    const system = { headers: { 'x-api-key': issued.body.key } };
    const body = { kind: 'pengaduan', channel: 'integration', title: 'Dari sistem daerah', description: 'Tiket 991', externalReference: 'SIMPEL-991' };

    const submitted = await http.post<Submitted>('/complaints', body, system);
    expect(submitted.status).toBe(201);
    expect(submitted.body.reporterSecret).toBeUndefined();
    const detail = await http.get<{ channel: string; history: Array<{ by: { role: string; nodeId: string } }> }>(
      `/complaints/${submitted.body.complaintId}`,
      as('admin-ntt'),
    );
    expect(detail.body.channel).toBe('integration');
    expect(detail.body.history[0]!.by).toEqual({ role: 'integration', nodeId: NTT_ID });

    expect((await http.post('/complaints', { ...body, channel: 'sms_1708' }, system)).status).toBe(403);
    expect((await http.post('/complaints', { ...body, addressedTo: 'nasional' }, system)).status).toBe(403);
    expect((await http.post('/complaints', body, { headers: { 'x-api-key': `${issued.body.key.slice(0, -2)}xx` } })).status).toBe(401);
    expect((await http.post('/api-keys', { name: 'x', instansiId: 'nasional', channels: ['integration'] }, as('admin-ntt'))).status).toBe(403);

    const listed = await http.get<Array<Record<string, unknown>>>('/api-keys', as('admin-ntt'));
    expect(JSON.stringify(listed.body)).not.toContain('secretHash');
    expect((await http.post(`/api-keys/${issued.body.apiKey.keyId}/revocation`, {}, as('admin-ntt'))).status).toBe(200);
    expect((await http.post('/complaints', body, system)).status).toBe(401);
  });

  it('statistics: the recap of NTT shows what happened, by unit; a unit cannot see its instansi’s table', async () => {
    const complaint = await submit();
    await http.post(`/complaints/${complaint.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, as('admin-ntt'));
    await http.post(`/complaints/${complaint.complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'));
    await http.post(`/complaints/${complaint.complaintId}/follow-ups`, { message: 'Ditinjau.' }, as('penghubung-pupr'));
    const year = new Date().getUTCFullYear();
    const query = `/statistics/recap?nodeId=${NTT_ID}&from=${year - 1}-01-01&to=${year + 1}-01-01`;
    type Recap = { total: { total: number; proses: number }; below: Array<{ nodeId: string; proses: number; belumTerverifikasi: number }> };
    let recap: Recap | undefined;
    const deadline = Date.now() + 10_000;
    for (;;) {
      recap = (await http.get<Recap>(query, as('admin-ntt'))).body;
      if ((recap.below.find((row) => row.nodeId === PUPR)?.proses ?? 0) >= 1 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recap!.below.find((row) => row.nodeId === PUPR)!.proses).toBeGreaterThanOrEqual(1);
    expect(recap!.total.total).toBeGreaterThanOrEqual(recap!.below.reduce((sum, row) => sum + row.proses, 0));
    expect((await http.get(query, as('penghubung-pupr'))).status).toBe(404);
    expect((await http.get(`/statistics/recap?nodeId=${PUPR}&from=2024-01-01&to=2030-01-01`, as('penghubung-pupr'))).status).toBe(200);
    expect((await http.get(`/statistics/recap?nodeId=${NTT_ID}&from=nope&to=2030-01-01`, as('admin-ntt'))).status).toBe(400);
  });

  async function waitForIndex(complaintId: string, version: bigint): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const inbox = await http.get<{ items: Array<{ complaintId: string; version: string }> }>('/inbox?pageSize=200', as('admin-ntt'));
      if (inbox.body.items.some((item) => item.complaintId === complaintId && BigInt(item.version) >= version)) return;
      if (Date.now() > deadline) throw new Error('the inbox did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
