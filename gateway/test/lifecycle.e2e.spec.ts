import { type LaporClient, type Schema } from '@lapor/api-client';
import { LOG_START, type EventStore } from '@lapor/event-store';
import type { Stores } from '@lapor/http-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { documentedClients, type DocumentedClients } from './support/documented-client';
import { embeddedStores, serverStores } from './support/stores';

const PASSWORD = 'e2e-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const DIKBUD = 'ntt-dinas-pendidikan-dan-kebudayaan';
const STAFF = ['admin-nasional', 'admin-ntt', 'penghubung-pupr', 'penghubung-dikbud'] as const;

type Submission = Schema<'SubmissionBody'>;
type Submitted = Schema<'SubmissionAccepted'> & { reporterSecret: string };
type Verification = Schema<'VerifyComplaintBody'>;

// The whole lifecycle over real HTTP through the gateway, on both stores. Every call goes through
// @lapor/api-client, typed from the committed document (a route or field it lacks does not compile),
// and every answer is held against the document the gateway serves (documented-client.ts): a status,
// a problem or a body the document does not describe fails the call where it happens.
describe.each([
  ['the embedded store (PGlite)', embeddedStores],
  ['a PostgreSQL server', () => serverStores('lifecycle')],
] as const)('the complaint lifecycle on %s', (_name, openStores) => {
  let stores: Stores;
  let store: EventStore;
  let app: FastifyInstance;
  let clients: DocumentedClients;
  let api: LaporClient;
  const staff = {} as Record<(typeof STAFF)[number], LaporClient>;

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
    clients = await documentedClients(address);
    api = clients.client();
    for (const username of STAFF) {
      const signed = await api.POST('/auth/token', { body: { username, password: PASSWORD } });
      if (!signed.data) throw new Error(`sign-in as ${username}: ${signed.response.status}`);
      staff[username] = clients.client({ token: signed.data.accessToken });
    }
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: (typeof STAFF)[number]): LaporClient => staff[username];
  const reporter = (complaint: Submitted): LaporClient => clients.client({ reporterSecret: complaint.reporterSecret });
  const onComplaint = (complaint: { complaintId: string }) => ({ params: { path: { complaintId: complaint.complaintId } } });
  const onTracking = (complaint: { trackingId: string }) => ({ params: { path: { trackingId: complaint.trackingId } } });
  const verification = (category: string): Verification => ({ slaClass: 'tanpa_pengawasan', category });
  const submission = (body: Partial<Submission> = {}): Submission => ({
    kind: 'pengaduan',
    channel: 'web',
    title: 'Jalan provinsi rusak di Kupang',
    description: 'Jalan berlubang besar sejak musim hujan, membahayakan pengendara.',
    addressedTo: NTT_ID,
    ...body,
  });

  const submit = async (body: Partial<Submission> = {}): Promise<Submitted> => {
    const answer = await api.POST('/complaints', { body: submission(body) });
    expect(answer.response.status).toBe(201);
    return answer.data as Submitted;
  };
  const verify = (complaint: Submitted, category: string) =>
    as('admin-ntt').POST('/complaints/{complaintId}/verification', { ...onComplaint(complaint), body: verification(category) });
  const dispose = (complaint: Submitted, to: string, by: (typeof STAFF)[number] = 'admin-ntt', tembusan?: string[]) =>
    as(by).POST('/complaints/{complaintId}/dispositions', { ...onComplaint(complaint), body: { to, ...(tembusan ? { tembusan } : {}) } });
  const detailOf = (complaint: Submitted, by: (typeof STAFF)[number]) => as(by).GET('/complaints/{complaintId}', onComplaint(complaint));

  it('happy path: submitted, verified, disposed with a copy, followed up, replied; tracked publicly all along', async () => {
    const complaint = await submit();
    expect(complaint.trackingId).toMatch(/^LAP-[2-9A-Z]{10}$/);
    expect(complaint.reporterSecret.length).toBeGreaterThanOrEqual(20);

    const verified = await verify(complaint, 'Infrastruktur');
    expect(verified.response.status).toBe(200);
    expect(verified.response.headers.get('etag')).toBe(`"${verified.data!.version}"`);

    const disposed = await dispose(complaint, PUPR, 'admin-ntt', [DIKBUD]);
    expect(disposed.data).toMatchObject({ status: 'BELUM_DITINDAKLANJUTI' });

    const followedUp = await as('penghubung-pupr').POST('/complaints/{complaintId}/follow-ups', {
      ...onComplaint(complaint),
      body: { message: 'Tim sudah meninjau lokasi; perbaikan dijadwalkan minggu depan.' },
    });
    expect(followedUp.data).toMatchObject({ status: 'PROSES' });

    const replied = await reporter(complaint).POST('/tracking/{trackingId}/replies', {
      ...onTracking(complaint),
      body: { message: 'Terima kasih, saya tunggu.' },
    });
    expect(replied.response.status).toBe(200);

    const tracked = await api.GET('/tracking/{trackingId}', { params: { path: { trackingId: complaint.trackingId.toLowerCase() } } });
    expect(tracked.data!.status).toBe('PROSES');
    expect(tracked.data!.history.map((h) => h.event)).toEqual([
      'Laporan diterima',
      'Laporan diverifikasi',
      'Didisposisikan ke instansi/unit terkait',
      'Tindak lanjut',
      'Tanggapan pelapor',
    ]);
  });

  it('tembusan: the copied unit sees the complaint in its inbox and can read it, but cannot follow it up', async () => {
    const complaint = await submit();
    await verify(complaint, 'Pendidikan');
    const disposed = await dispose(complaint, PUPR, 'admin-ntt', [DIKBUD]);
    await waitForIndex(complaint.complaintId, BigInt(disposed.data!.version));

    const inbox = await as('penghubung-dikbud').GET('/inbox', {});
    expect(inbox.data!.items).toContainEqual(expect.objectContaining({ complaintId: complaint.complaintId, relation: 'tembusan' }));
    expect((await detailOf(complaint, 'penghubung-dikbud')).response.status).toBe(200);

    const refused = await as('penghubung-dikbud').POST('/complaints/{complaintId}/follow-ups', { ...onComplaint(complaint), body: { message: 'Bukan kami.' } });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ code: 'NOT_ASSIGNED_UNIT' });
  });

  it('Bukan Wewenang: the unit returns it, the instansi re-disposes it; every hop is kept and shown', async () => {
    const complaint = await submit();
    await verify(complaint, 'Jalan');
    await dispose(complaint, DIKBUD);
    const returned = await as('penghubung-dikbud').POST('/complaints/{complaintId}/returns', {
      ...onComplaint(complaint),
      body: { reason: 'Jalan provinsi adalah urusan Dinas PUPR.' },
    });
    expect(returned.data).toMatchObject({ status: 'BELUM_TERVERIFIKASI' });
    await dispose(complaint, PUPR);

    const detail = await detailOf(complaint, 'admin-ntt');
    expect(detail.data!.assignedUnitId).toBe(PUPR);
    expect(detail.data!.hops.map(({ type, from, to }) => ({ type, from, to }))).toEqual([
      { type: 'disposition', from: NTT_ID, to: DIKBUD },
      { type: 'return', from: DIKBUD, to: NTT_ID },
      { type: 'disposition', from: NTT_ID, to: PUPR },
    ]);
    // The unit that gave it back handled it once: it can still read what became of it.
    expect((await detailOf(complaint, 'penghubung-dikbud')).response.status).toBe(200);
  });

  it('Bukan Wewenang at the instansi level: NTT returns it to Admin Nasional, who disposes it again', async () => {
    const complaint = await submit();
    await verify(complaint, 'Pertanahan');
    const returned = await as('admin-ntt').POST('/complaints/{complaintId}/returns', {
      ...onComplaint(complaint),
      body: { reason: 'Urusan Kementerian ATR/BPN.' },
    });
    expect(returned.response.status).toBe(200);
    const redisposed = await dispose(complaint, NTT_ID, 'admin-nasional');
    expect(redisposed.response.status).toBe(200);
    const detail = await detailOf(complaint, 'admin-nasional');
    expect(detail.data!.hops).toEqual([
      expect.objectContaining({ type: 'return', from: NTT_ID, to: 'nasional', reason: 'Urusan Kementerian ATR/BPN.' }),
      expect.objectContaining({ type: 'disposition', from: 'nasional', to: NTT_ID }),
    ]);
    // Nasional has no level above it
    const atTop = await as('admin-nasional').POST('/complaints/{complaintId}/returns', { ...onComplaint(complaint), body: { reason: 'x' } });
    expect(atTop.response.status).toBe(403);
  });

  it('Tunda, then the reporter supplies the data and verification goes on', async () => {
    const complaint = await submit();
    const tunda = await as('admin-ntt').POST('/complaints/{complaintId}/missing-data-requests', {
      ...onComplaint(complaint),
      body: { message: 'Mohon sebutkan lokasi persisnya.' },
    });
    expect(tunda.data!.status).toBe('TUNDA');
    const supplied = await reporter(complaint).POST('/tracking/{trackingId}/missing-data', {
      ...onTracking(complaint),
      body: { message: 'Jl. Timor Raya km 12.' },
    });
    expect(supplied.data!.status).toBe('BELUM_TERVERIFIKASI');
    expect((await verify(complaint, 'Jalan')).response.status).toBe(200);
  });

  it('archive with a reason; an archived complaint takes no more commands', async () => {
    const complaint = await submit();
    const archived = await as('admin-ntt').POST('/complaints/{complaintId}/archive', { ...onComplaint(complaint), body: { reason: 'SPAM' } });
    expect(archived.data!.status).toBe('ARSIP');
    const late = await verify(complaint, 'x');
    expect(late.response.status).toBe(409);
    expect(late.response.headers.get('content-type')).toContain('application/problem+json');
    expect(late.error).toMatchObject({ code: 'COMPLAINT_CLOSED' });
  });

  it('an aspiration answered directly is completed, and the reporter rates it once', async () => {
    const complaint = await submit({ kind: 'aspirasi', addressedTo: 'nasional', title: 'Usul taman baca di desa' });
    const answered = await as('admin-nasional').POST('/complaints/{complaintId}/aspiration-answer', {
      ...onComplaint(complaint),
      body: { answer: 'Usulan diteruskan ke program perpustakaan desa.' },
    });
    expect(answered.data!.status).toBe('SELESAI');
    const rate = (by: LaporClient, rating: number) => by.POST('/tracking/{trackingId}/rating', { ...onTracking(complaint), body: { rating } });
    expect((await rate(reporter(complaint), 5)).response.status).toBe(200);
    const again = await rate(reporter(complaint), 4);
    expect(again.error).toMatchObject({ status: 409, code: 'ALREADY_RATED' });
    const wrongSecret = await rate(clients.client({ reporterSecret: 'x'.repeat(32) }), 1);
    expect(wrongSecret.response.status).toBe(404);
  });

  it('an anonymous, confidential complaint: the unit sees no reporter reference, the public page does not show it', async () => {
    const complaint = await submit({ anonymous: true, confidential: true });
    await verify(complaint, 'Pungli');
    await dispose(complaint, PUPR);
    const seen = await detailOf(complaint, 'penghubung-pupr');
    expect(seen.response.status).toBe(200);
    expect(seen.data).toMatchObject({ anonymous: true, confidential: true });
    const text = JSON.stringify(seen.data);
    expect(text).not.toContain('reporterRef');
    expect(text).not.toContain('rpt-');
    expect((await api.GET('/tracking/{trackingId}', onTracking(complaint))).response.status).toBe(404);
  });

  it('two admins verify at once with the same If-Match: one wins, the other gets 409 with the current version', async () => {
    const complaint = await submit();
    const attempt = () =>
      as('admin-ntt').POST('/complaints/{complaintId}/verification', {
        params: { path: { complaintId: complaint.complaintId }, header: { 'If-Match': `"${complaint.version}"` } },
        body: verification('Jalan'),
      });
    const answers = await Promise.all([attempt(), attempt()]);
    expect(answers.map((a) => a.response.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.response.status === 409)!;
    expect(loser.response.headers.get('content-type')).toContain('application/problem+json');
    expect(['1', undefined]).toContain(loser.error?.currentVersion);
  });

  it('staff outside the complaint’s path get 404, not 403: its existence does not leak', async () => {
    const complaint = await submit();
    await verify(complaint, 'Jalan');
    await dispose(complaint, PUPR);
    expect((await detailOf(complaint, 'penghubung-dikbud')).response.status).toBe(404);
    const followUp = await as('penghubung-dikbud').POST('/complaints/{complaintId}/follow-ups', { ...onComplaint(complaint), body: { message: 'x' } });
    expect(followUp.response.status).toBe(404);
    expect((await api.GET('/complaints/{complaintId}', onComplaint(complaint))).response.status).toBe(401);
  });

  it('bad input: unknown fields and wrong values are refused with problem+json naming the field', async () => {
    // what a careless caller sends: an unknown field the typed body would not let us write
    const careless = { ...submission({ title: '', description: 'x' }), extra: 'not allowed' } as Submission;
    const answer = await api.POST('/complaints', { body: careless });
    expect(answer.response.status).toBe(400);
    expect(answer.response.headers.get('content-type')).toContain('application/problem+json');
    const fields = (answer.error?.errors ?? []).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.extra']));
  });

  it('Idempotency-Key: a retry gets the first answer and writes nothing; the key on another body is 422', async () => {
    const body = submission({ title: 'Air PDAM mati', description: 'Sejak kemarin pagi.' });
    const withKey = (key: string, sent: Submission = body) => api.POST('/complaints', { params: { header: { 'Idempotency-Key': key } }, body: sent });
    const key = randomUUID();
    const first = await withKey(key);
    const retry = await withKey(key);
    expect(first.response.status).toBe(201);
    expect(retry.response.status).toBe(201);
    expect(retry.data).toEqual(first.data); // the same tracking id and reporter secret
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    const complaintId = first.data!.complaintId;

    const stream = await store.readStream(`complaint-${complaintId}`);
    expect(stream).toHaveLength(1);

    // two copies in flight at once: one runs, the other waits its turn (409) or gets the same answer
    const raceKey = randomUUID();
    const race = await Promise.all([withKey(raceKey), withKey(raceKey)]);
    expect(race.map((a) => a.response.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const answer of race) expect([201, 409]).toContain(answer.response.status);
    const raced = race.filter((a) => a.response.status === 201).map((a) => a.data!.complaintId);
    expect(new Set(raced).size).toBe(1);

    const other = await withKey(key, { ...body, title: 'Lain' });
    expect(other.response.status).toBe(422);
    expect(other.error).toMatchObject({ type: 'https://lapor.go.id/problems/idempotency-key-reused' });

    // A staff command retried after a lost answer: one verification, the same answer twice.
    const verifyOnce = () =>
      as('admin-ntt').POST('/complaints/{complaintId}/verification', {
        params: { path: { complaintId }, header: { 'Idempotency-Key': `verify-${complaintId}` } },
        body: verification('Air bersih'),
      });
    const verified = await verifyOnce();
    const again = await verifyOnce();
    expect([verified.response.status, again.response.status]).toEqual([200, 200]);
    expect(again.data).toEqual(verified.data);
    expect((await store.readStream(`complaint-${complaintId}`)).map((e) => e.type)).toEqual(['ComplaintSubmitted', 'ComplaintVerified']);
  });

  it('Idempotency-Key without a credential: a short or guessable key is refused with 400 naming the header; a random one works', async () => {
    const body = submission({ title: 'Lampu jalan padam', description: 'Di Oebobo.' });
    const short = await api.POST('/complaints', { params: { header: { 'Idempotency-Key': 'submit-1' } }, body });
    expect(short.response.status).toBe(400);
    expect(short.error?.detail).toMatch(/^Idempotency-Key: /);
    const random = await api.POST('/complaints', { params: { header: { 'Idempotency-Key': randomBytes(16).toString('base64url') } }, body });
    expect(random.response.status).toBe(201);
  });

  it('Idempotency-Key per caller: staff A and B with the same key each get their own result', async () => {
    const verifyWithSharedKey = (by: (typeof STAFF)[number], complaint: Submitted) =>
      as(by).POST('/complaints/{complaintId}/verification', {
        params: { path: { complaintId: complaint.complaintId }, header: { 'Idempotency-Key': 'staff-key-1' } },
        body: verification('Jalan'),
      });
    const verified = await verifyWithSharedKey('admin-ntt', await submit());
    expect(verified.response.status).toBe(200);
    // another account, the same key, another request: run as its own, not 422 and not the first one's answer
    const byNational = await verifyWithSharedKey('admin-nasional', await submit());
    expect(byNational.response.headers.get('idempotent-replayed')).toBeNull();
    expect(byNational.response.status).not.toBe(422);
  });

  it('Idempotency-Key: a refused request records nothing, and nothing of it reaches the event log', async () => {
    const countRecords = async () => Number((await stores.db.query<{ n: string }>('SELECT count(*) AS n FROM idempotency.requests'))[0]!.n);
    await submit(); // the table exists
    const before = await countRecords();
    const complaint = await submit();
    const verifyAs = (by: LaporClient) =>
      by.POST('/complaints/{complaintId}/verification', {
        params: { path: { complaintId: complaint.complaintId }, header: { 'Idempotency-Key': randomUUID() } },
        body: verification('Jalan'),
      });
    for (let i = 0; i < 5; i++) expect((await verifyAs(api)).response.status).toBe(401);
    expect((await verifyAs(as('penghubung-dikbud'))).response.status).toBe(403);
    expect(await countRecords()).toBe(before);
    const log = await store.readGlobalLog(LOG_START, 100_000);
    expect(log.events.filter((event) => event.type.startsWith('Request'))).toEqual([]);
  });

  it('API keys: an agency system submits on the channels its key allows, to its own instansi; a revoked key is refused', async () => {
    const issued = await as('admin-ntt').POST('/api-keys', { body: { name: 'SIMPEL NTT', instansiId: NTT_ID, channels: ['integration'] } });
    expect(issued.response.status).toBe(201);
    const system = clients.client({ apiKey: issued.data!.key });
    const body: Submission = {
      kind: 'pengaduan',
      channel: 'integration',
      title: 'Dari sistem daerah',
      description: 'Tiket 991',
      externalReference: 'SIMPEL-991',
    };

    const submitted = await system.POST('/complaints', { body });
    expect(submitted.response.status).toBe(201);
    expect(submitted.data!.reporterSecret).toBeUndefined();
    const detail = await detailOf(submitted.data as Submitted, 'admin-ntt');
    expect(detail.data!.channel).toBe('integration');
    expect(detail.data!.history[0]!.by).toEqual({ role: 'integration', nodeId: NTT_ID });

    expect((await system.POST('/complaints', { body: { ...body, channel: 'sms_1708' } })).response.status).toBe(403);
    expect((await system.POST('/complaints', { body: { ...body, addressedTo: 'nasional' } })).response.status).toBe(403);
    const forged = clients.client({ apiKey: `${issued.data!.key.slice(0, -2)}xx` });
    expect((await forged.POST('/complaints', { body })).response.status).toBe(401);
    const tooHigh = await as('admin-ntt').POST('/api-keys', { body: { name: 'x', instansiId: 'nasional', channels: ['integration'] } });
    expect(tooHigh.response.status).toBe(403);

    const listed = await as('admin-ntt').GET('/api-keys');
    expect(JSON.stringify(listed.data)).not.toContain('secretHash');
    const keyId = issued.data!.apiKey.keyId;
    expect((await as('admin-ntt').POST('/api-keys/{keyId}/revocation', { params: { path: { keyId } } })).response.status).toBe(200);
    expect((await system.POST('/complaints', { body })).response.status).toBe(401);
  });

  it('statistics: the recap of NTT shows what happened, by unit; a unit cannot see its instansi’s table', async () => {
    const complaint = await submit();
    await verify(complaint, 'Jalan');
    await dispose(complaint, PUPR);
    await as('penghubung-pupr').POST('/complaints/{complaintId}/follow-ups', { ...onComplaint(complaint), body: { message: 'Ditinjau.' } });
    const year = new Date().getUTCFullYear();
    const query = { nodeId: NTT_ID, from: `${year - 1}-01-01`, to: `${year + 1}-01-01` };
    const recapOf = (by: (typeof STAFF)[number], asked: typeof query) => as(by).GET('/statistics/recap', { params: { query: asked } });
    let recap: Schema<'Recap'> | undefined;
    const deadline = Date.now() + 10_000;
    for (;;) {
      recap = (await recapOf('admin-ntt', query)).data;
      if ((recap?.below.find((row) => row.nodeId === PUPR)?.proses ?? 0) >= 1 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recap!.below.find((row) => row.nodeId === PUPR)!.proses).toBeGreaterThanOrEqual(1);
    expect(recap!.total.total).toBeGreaterThanOrEqual(recap!.below.reduce((sum, row) => sum + row.proses, 0));
    expect((await recapOf('penghubung-pupr', query)).response.status).toBe(404);
    expect((await recapOf('penghubung-pupr', { nodeId: PUPR, from: '2024-01-01', to: '2030-01-01' })).response.status).toBe(200);
    expect((await recapOf('admin-ntt', { ...query, from: 'nope' })).response.status).toBe(400);
  });

  async function waitForIndex(complaintId: string, version: bigint): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const inbox = await as('admin-ntt').GET('/inbox', { params: { query: { pageSize: 200 } } });
      if (inbox.data?.items.some((item) => item.complaintId === complaintId && BigInt(item.version) >= version)) return;
      if (Date.now() > deadline) throw new Error('the inbox did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
