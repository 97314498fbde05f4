import type { Stores } from '@lapor/http-kit';
import { NTT, SIKKA, STORES, intakeWorld, readUntil } from './support';

type Accepted = { complaintId: string; trackingId: string; status: string; version: string; alreadySubmitted?: boolean; reporterSecret?: string };
type Listed = {
  externalReference: string | null;
  trackingId: string;
  complaintId: string;
  status: string;
  statusLabel: string;
  lastChange: { at: string; event: string; label: string | null };
};
type List = { total: number; items: Listed[] };

const ticket = (reference: string, more: Record<string, unknown> = {}) => ({
  kind: 'pengaduan',
  channel: 'integration',
  title: 'Air PDAM tidak mengalir',
  description: 'Sudah tiga hari air tidak mengalir di Kelurahan Oebobo.',
  externalReference: reference,
  reporter: { name: 'Yohanes Nuwa', phone: '+6281339001122', email: 'yohanes@example.id' },
  ...more,
});

// An agency's own complaint system over REST: its ticket ids are idempotent, and it reads back
// what it sent. Over real HTTP, on both stores.
describe.each(STORES)('an integrating agency system on %s', (_name, openStores) => {
  let stores: Stores;
  let world: Awaited<ReturnType<typeof intakeWorld>>;
  let ntt: { 'x-api-key': string };
  let sikka: { 'x-api-key': string };

  beforeAll(async () => {
    stores = await openStores();
    world = await intakeWorld(stores);
    ntt = await world.issueKey(NTT);
    sikka = await world.issueKey(SIKKA);
  });
  afterAll(async () => {
    await world.app.close();
    await stores.close();
  });

  it('given a ticket sent once, when the agency resubmits the same ticket, then it gets the same complaint back (200) and no second one', async () => {
    const first = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1001'), ntt);
    expect(first.status).toBe(201);
    expect(first.body.alreadySubmitted).toBeUndefined();

    const again = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1001'), ntt);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ complaintId: first.body.complaintId, trackingId: first.body.trackingId, alreadySubmitted: true, version: '0' });
    expect(again.headers.get('location')).toBe(`/tracking/${first.body.trackingId}`);
    expect(again.body.reporterSecret).toBeUndefined();
    const events = await stores.store.readStream(`complaint-${first.body.complaintId}`);
    expect(events.map((event) => event.type)).toEqual(['ComplaintSubmitted']);
  });

  it('given the same ticket sent five times at once, then one complaint, and every answer names it', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => world.http.post<Accepted>('/complaints', ticket('SIMPEL-RACE'), ntt)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.body.trackingId)).size).toBe(1);
    expect(await stores.store.readStream(`complaint-${answers[0]!.body.complaintId}`)).toHaveLength(1);
  });

  it('given a ticket that moved on, when it is resubmitted, then the answer says where it stands now', async () => {
    const first = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1002'), ntt);
    await world.act({
      type: 'VerifyComplaint',
      data: { complaintId: first.body.complaintId, slaClass: 'tanpa_pengawasan', category: 'Air bersih', anonymous: false, confidential: false, note: null },
    });
    const again = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1002'), ntt);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ trackingId: first.body.trackingId, version: '1', alreadySubmitted: true });
    expect(again.headers.get('etag')).toBe('"1"');
  });

  it('given a ticket sent once, when the same reference comes with another body, then 409 problem+json naming body.externalReference and what differs', async () => {
    const first = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1003'), ntt);
    const other = await world.http.post<{ type: string; detail: string; errors: Array<{ field: string }> }>(
      '/complaints',
      ticket('SIMPEL-1003', { title: 'Lampu jalan mati', reporter: { name: 'Orang lain' } }),
      ntt,
    );
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body.type).toBe('https://lapor.go.id/problems/external-reference-conflict');
    expect(other.body.errors.map((error) => error.field)).toEqual(['body.externalReference']);
    expect(other.body.detail).toContain(first.body.trackingId);
    expect(other.body.detail).toContain('body.title');
    expect(other.body.detail).toContain('body.reporter');
    // and still one complaint, unchanged
    expect(await stores.store.readStream(`complaint-${first.body.complaintId}`)).toHaveLength(1);
  });

  it('given tickets without the reporter’s identity (the append asks whether they exist), then a resend is the same complaint, five at once make one, another body is 409', async () => {
    const bare = (reference: string, more: Record<string, unknown> = {}) => ({ ...ticket(reference, more), reporter: undefined });
    const first = await world.http.post<Accepted>('/complaints', bare('SIMPEL-BARE-1'), ntt);
    expect(first.status).toBe(201);
    const again = await world.http.post<Accepted>('/complaints', bare('SIMPEL-BARE-1'), ntt);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ complaintId: first.body.complaintId, alreadySubmitted: true, version: '0' });

    const answers = await Promise.all(Array.from({ length: 5 }, () => world.http.post<Accepted>('/complaints', bare('SIMPEL-BARE-RACE'), ntt)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.body.complaintId)).size).toBe(1);

    const other = await world.http.post<{ detail: string }>('/complaints', bare('SIMPEL-BARE-1', { title: 'Lampu jalan mati' }), ntt);
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain('body.title');
    expect(await stores.store.readStream(`complaint-${first.body.complaintId}`)).toHaveLength(1);
  });

  it('given a ticket sent once, when it is resent somewhere the key may not send, then the rule refuses it (403), not “already submitted”', async () => {
    await world.http.post<Accepted>('/complaints', ticket('SIMPEL-1004'), ntt);
    const elsewhere = await world.http.post<{ code: string }>('/complaints', ticket('SIMPEL-1004', { addressedTo: 'nasional' }), ntt);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('OUTSIDE_SCOPE');
  });

  it('given another instansi’s system using the same ticket number, then that is another complaint', async () => {
    const ours = await world.http.post<Accepted>('/complaints', ticket('TIKET-7'), ntt);
    const theirs = await world.http.post<Accepted>('/complaints', ticket('TIKET-7'), sikka);
    expect([ours.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.trackingId).not.toBe(ours.body.trackingId);
  });

  it('given the agency’s key was rotated, when the new key resubmits a ticket, then it is still the same complaint', async () => {
    const first = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-ROTATE'), ntt);
    const rotated = await world.issueKey(NTT, 'SIMPEL (kunci baru)');
    const again = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-ROTATE'), rotated);
    expect(again.status).toBe(200);
    expect(again.body.trackingId).toBe(first.body.trackingId);
  });

  it('given a submission without an external reference, or by a citizen, then nothing changes: a new complaint each time', async () => {
    const { externalReference: _none, ...withoutReference } = ticket('unused');
    const a = await world.http.post<Accepted>('/complaints', withoutReference, ntt);
    const b = await world.http.post<Accepted>('/complaints', withoutReference, ntt);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.trackingId).not.toBe(b.body.trackingId);
    const citizen = { kind: 'pengaduan', channel: 'web', title: 'Jalan rusak', description: 'Berlubang', externalReference: 'X-1' };
    const c = await world.http.post<Accepted>('/complaints', citizen);
    const d = await world.http.post<Accepted>('/complaints', citizen);
    expect([c.status, d.status]).toEqual([201, 201]);
    expect(c.body.reporterSecret).toBeDefined();
    expect(c.body.trackingId).not.toBe(d.body.trackingId);
  });

  it('given several systems sent complaints, when one lists its complaints, then it sees its own only, with status and last change, never an identity', async () => {
    const mine = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-LIST-1'), ntt);
    await world.http.post('/complaints', ticket('SIKKA-LIST-1'), sikka);
    await world.http.post('/complaints', { kind: 'pengaduan', channel: 'web', title: 'Warga', description: 'Dari situs', addressedTo: NTT });

    const list = await readUntil(
      () => world.http.get<List>('/integrations/complaints?pageSize=200', ntt),
      (answer) => answer.body.items.some((item) => item.externalReference === 'SIMPEL-LIST-1'),
    );
    expect(list.status).toBe(200);
    const references = list.body.items.map((item) => item.externalReference);
    expect(references).toContain('SIMPEL-LIST-1');
    expect(references).not.toContain('SIKKA-LIST-1');
    expect(list.body.items.every((item) => item.externalReference === null || !item.externalReference.startsWith('SIKKA'))).toBe(true);
    expect(list.body.items.find((item) => item.externalReference === 'SIMPEL-LIST-1')).toMatchObject({
      trackingId: mine.body.trackingId,
      complaintId: mine.body.complaintId,
      status: 'BELUM_TERVERIFIKASI',
      statusLabel: 'Belum Terverifikasi',
      lastChange: { event: 'ComplaintSubmitted', label: 'Laporan diterima' },
    });
    expect(list.text).not.toMatch(/Yohanes|yohanes@example|6281339001122/);

    const theirs = await readUntil(
      () => world.http.get<List>('/integrations/complaints?pageSize=200', sikka),
      (answer) => answer.body.items.length >= 2,
    );
    expect(theirs.body.items.map((item) => item.externalReference)).toEqual(['TIKET-7', 'SIKKA-LIST-1']);
  });

  it('given a complaint moved on, when the system asks for what changed since, then it gets just that, with the new status; a status filter works', async () => {
    const before = new Date().toISOString();
    const moved = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-MOVED'), ntt);
    await world.act({
      type: 'VerifyComplaint',
      data: { complaintId: moved.body.complaintId, slaClass: 'tanpa_pengawasan', category: 'Air bersih', anonymous: false, confidential: false, note: null },
    });
    await world.act({ type: 'ArchiveComplaint', data: { complaintId: moved.body.complaintId, reason: 'DUPLICATE', note: null, missingDataRequestId: null } });

    const changed = await readUntil(
      () => world.http.get<List>(`/integrations/complaints?updatedSince=${encodeURIComponent(before)}`, ntt),
      (answer) => answer.body.items[0]?.status === 'ARSIP',
    );
    expect(changed.body.items.map((item) => item.externalReference)).toEqual(['SIMPEL-MOVED']);
    expect(changed.body.items[0]).toMatchObject({ status: 'ARSIP', lastChange: { event: 'ComplaintArchived', label: 'Laporan diarsipkan' } });

    const archived = await world.http.get<List>('/integrations/complaints?status=ARSIP', ntt);
    expect(archived.body.items.map((item) => item.externalReference)).toEqual(['SIMPEL-MOVED']);
    const paged = await world.http.get<List & { page: number; pageSize: number }>('/integrations/complaints?pageSize=1&page=2', ntt);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThan(2);
  });

  it('given a ticket with a letter-style reference, when the system reads it by its reference, then it gets it; another system’s or an unknown reference is 404', async () => {
    const sent = await world.http.post<Accepted>('/complaints', ticket('800/123/DISKOMINFO/2026'), ntt);
    const read = await world.http.get<Listed>(`/integrations/complaints/${encodeURIComponent('800/123/DISKOMINFO/2026')}`, ntt);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ externalReference: '800/123/DISKOMINFO/2026', trackingId: sent.body.trackingId, status: 'BELUM_TERVERIFIKASI' });
    expect(read.text).not.toMatch(/Yohanes/);

    expect((await world.http.get(`/integrations/complaints/${encodeURIComponent('800/123/DISKOMINFO/2026')}`, sikka)).status).toBe(404);
    const unknown = await world.http.get('/integrations/complaints/TIDAK-ADA', ntt);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('given a ticket just sent, when the system lists with readAfter its write, then the list shows it at once; a malformed or never-written readAfter is 400', async () => {
    const sent = await world.http.post<Accepted>('/complaints', ticket('SIMPEL-READ-AFTER'), ntt);
    const list = await world.http.get<List>(`/integrations/complaints?pageSize=200&readAfter=${sent.body.complaintId}:${sent.body.version}`, ntt);
    expect(list.status).toBe(200);
    expect(list.body.items.find((item) => item.externalReference === 'SIMPEL-READ-AFTER')?.complaintId).toBe(sent.body.complaintId);

    const malformed = await world.http.get<{ errors: Array<{ field: string }> }>('/integrations/complaints?readAfter=yesterday', ntt);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]!.field).toBe('querystring.readAfter');
    const unwritten = await world.http.get<{ type: string }>(`/integrations/complaints?readAfter=${sent.body.complaintId}:99`, ntt);
    expect(unwritten.status).toBe(400);
    expect(unwritten.body).toMatchObject({ type: 'https://lapor.go.id/problems/bad-read-after' });
  });

  it('given no key, or a revoked one, then the lists answer 401', async () => {
    expect((await world.http.get('/integrations/complaints')).status).toBe(401);
    expect((await world.http.get('/integrations/complaints/SIMPEL-1001')).status).toBe(401);
    const { key, apiKey } = await world.context.apiKeys.issue({
      name: 'lama',
      instansiId: NTT,
      channels: ['integration'],
      issuedBy: 'admin',
      at: world.context.now(),
    });
    await world.context.apiKeys.revoke(apiKey.keyId, 'admin', world.context.now());
    expect((await world.http.get('/integrations/complaints', { 'x-api-key': key })).status).toBe(401);
  });
});
