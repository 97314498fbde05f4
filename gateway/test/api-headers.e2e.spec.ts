import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

// The standard headers and the reporter's language, as a client sees them through the embedded
// gateway on PGlite: what the API document promises is what the answers carry.

const PASSWORD = 'api-headers-password';
const PUBLIC_LIMIT = 12;
const complaint = { kind: 'pengaduan', channel: 'web', title: 'Jalan berlubang di Oebobo', description: 'Sudah dua minggu.', addressedTo: NTT_ID };

describe('standard headers and readable problems through the gateway', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let http: HttpClient;
  let admin = '';
  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'api-headers-secret-api-headers-secret',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      publicRateLimit: PUBLIC_LIMIT,
    }));
    http = httpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
    admin = await http.token('admin-nasional', PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given a citizen’s submission, then 201 says where to follow it (Location) and the budget left (RateLimit, RateLimit-Policy); the tracking read and the staff read carry the version as ETag', async () => {
    const submitted = await http.post<{ trackingId: string; complaintId: string }>('/complaints', complaint);
    expect(submitted.status).toBe(201);
    expect(submitted.headers.get('location')).toBe(`/tracking/${submitted.body.trackingId}`);
    expect(submitted.headers.get('ratelimit-policy')).toBe(`"public";q=${PUBLIC_LIMIT};w=60`);
    expect(submitted.headers.get('ratelimit')).toMatch(/^"public";r=\d+;t=\d+$/);

    const tracked = await http.get(`/tracking/${submitted.body.trackingId}`);
    expect(tracked.status).toBe(200);
    expect(tracked.headers.get('etag')).toBe(submitted.headers.get('etag'));
    const remaining = (answer: { headers: Headers }) => Number(/r=(\d+)/.exec(answer.headers.get('ratelimit') ?? '')?.[1]);
    expect(remaining(tracked)).toBe(remaining(submitted) - 1);

    const read = await http.get(`/complaints/${submitted.body.complaintId}`, { token: await http.token('admin-ntt', PASSWORD) });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(submitted.headers.get('etag'));
    // staff prove who they are: not counted against the public budget, so no RateLimit to read
    expect(read.headers.get('ratelimit')).toBeNull();
  });

  it('given an admin making things, then each 201 names what was made in Location', async () => {
    const key = await http.post<{ apiKey: { keyId: string } }>(
      '/api-keys',
      { name: 'Sistem Dinas', instansiId: NTT_ID, channels: ['integration'] },
      { token: admin },
    );
    expect(key.status).toBe(201);
    expect(key.headers.get('location')).toBe(`/api-keys/${key.body.apiKey.keyId}`);

    const category = await http.post('/categories', { id: 'jalan-rusak-uji', name: 'Jalan rusak' }, { token: admin });
    expect(category.status).toBe(201);
    expect(category.headers.get('location')).toBe('/categories/jalan-rusak-uji');
  });

  it('given Accept-Language preferring Indonesian on a citizen route, then title and detail are in Bahasa Indonesia and type, status and fields stay as they are', async () => {
    const unknown = '/tracking/LAP-7KQ2M9XH4D';
    const inIndonesian = await http.get<{ type: string; title: string; detail: string; status: number }>(unknown, {
      headers: { 'accept-language': 'id-ID,id;q=0.9,en;q=0.5' },
    });
    const inEnglish = await http.get<{ type: string; title: string; detail: string; status: number }>(unknown, {
      headers: { 'accept-language': 'en-US,en;q=0.9,id;q=0.4' },
    });
    expect(inIndonesian.status).toBe(404);
    expect(inIndonesian.body).toMatchObject({
      type: inEnglish.body.type,
      status: 404,
      title: 'Tidak ditemukan',
      detail: 'Laporan dengan nomor pelacakan ini tidak ditemukan.',
    });
    expect(inIndonesian.headers.get('content-language')).toBe('id');
    expect(inEnglish.body).toMatchObject({ title: 'Not Found', detail: 'No complaint with this tracking id.' });
    expect(inEnglish.headers.get('content-language')).toBe('en');

    const invalid = { ...complaint, title: '' };
    const refusedId = await http.post<{ type: string; title: string; errors: { field: string }[] }>('/complaints', invalid, {
      headers: { 'accept-language': 'id' },
    });
    const refusedEn = await http.post<{ type: string; title: string; errors: { field: string }[] }>('/complaints', invalid);
    expect(refusedId.status).toBe(400);
    expect(refusedId.body.title).toBe('Permintaan tidak valid');
    expect(refusedEn.body.title).toBe('Invalid request');
    expect(refusedId.body.type).toBe(refusedEn.body.type);
    expect(refusedId.body.errors.map((error) => error.field)).toEqual(refusedEn.body.errors.map((error) => error.field));
  });

  it('given a staff route, then its problems stay in English whatever the Accept-Language', async () => {
    const refused = await http.get<{ title: string }>('/complaints/00000000-0000-4000-8000-000000000000', {
      token: admin,
      headers: { 'accept-language': 'id' },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.title).not.toBe('Tidak ditemukan');
    expect(refused.headers.get('content-language')).toBeNull();
  });

  it('given the public budget spent, then 429 says when to come back (Retry-After) and that nothing is left (RateLimit r=0), in the reporter’s language', async () => {
    let answer = await http.get('/tracking/LAP-7KQ2M9XH4D', { headers: { 'accept-language': 'id' } });
    for (let sent = 0; answer.status !== 429 && sent < PUBLIC_LIMIT + 2; sent += 1) {
      answer = await http.get('/tracking/LAP-7KQ2M9XH4D', { headers: { 'accept-language': 'id' } });
    }
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.headers.get('ratelimit')).toMatch(/^"public";r=0;t=\d+$/);
    expect(answer.body).toMatchObject({ title: 'Terlalu banyak permintaan', type: 'https://lapor.go.id/problems/rate-limited' });
  });
});
