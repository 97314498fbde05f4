import type { Stores } from '@lapor/http-kit';
import { complaintIdForTrackingId } from '@lapor/workflow';
import { NTT, NTT_NAME, PUPR, PUPR_NAME, STORES, open311World, readUntil } from './support/open311-world';

type Created = Array<{ service_request_id: string; service_notice: string | null; account_id: string | null }>;
type Request = {
  service_request_id: string;
  status: string;
  status_notes: string;
  service_code: string;
  description: string | null;
  agency_responsible: string;
  address: string | null;
  lat: number | null;
  long: number | null;
};
type Errors = Array<{ code: number; description: string }>;

const V2 = '/open311/v2';
const REPORT = {
  service_code: 'pengaduan',
  description: 'Lubang besar di tengah jalan El Tari depan kantor gubernur, sudah dua motor jatuh minggu ini.',
  lat: '-10.15839',
  long: '123.60631',
  address_string: 'Jl. El Tari, Kupang',
  first_name: 'Maria',
  last_name: 'Goreti',
  email: 'maria.goreti@example.id',
  phone: '0812 3456 7890',
  device_id: 'android-7f3a',
};

// A civic-reporting app talks GeoReport v2 to us, unchanged; staff move its reports through the
// workflow services, and the app follows them. Over real HTTP, on both stores.
describe.each(STORES)('the Open311 GeoReport v2 facade on %s', (_name, openStores) => {
  let stores: Stores;
  let world: Awaited<ReturnType<typeof open311World>>;
  let appKey: string;
  let adminNtt: Record<string, string>;
  let liaisonPupr: Record<string, string>;

  beforeAll(async () => {
    stores = await openStores();
    world = await open311World(stores);
    appKey = await world.issueKey(NTT);
    adminNtt = await world.staff('admin_instansi', NTT);
    liaisonPupr = await world.staff('liaison', PUPR);
  });
  afterAll(async () => {
    await world.app.close();
    await stores.close();
  });

  const post = async (fields: Record<string, string> = {}) => {
    const answer = await world.http.postForm<Created>(`${V2}/requests.json`, { api_key: appKey, ...REPORT, ...fields });
    expect(answer.status).toBe(200);
    return answer.body[0]!.service_request_id;
  };
  const read = async (id: string) => world.http.get<Request[]>(`${V2}/requests/${id}.json`);
  const staffPost = async (trackingId: string, action: string, body: unknown, as: Record<string, string>) => {
    const answer = await world.http.postJson(`/complaints/${complaintIdForTrackingId(trackingId)}/${action}`, body, as);
    expect(answer.status).toBe(200);
  };

  it('given an app, when it asks for the services, then our kinds as GeoReport services, realtime, without attributes', async () => {
    const services = await world.http.get<Array<Record<string, unknown>>>(`${V2}/services.json`);
    expect(services.status).toBe(200);
    expect(services.headers.get('content-type')).toContain('application/json');
    expect(services.body.map((service) => service.service_code)).toEqual(['pengaduan', 'aspirasi', 'permintaan_informasi']);
    for (const service of services.body) {
      expect(service).toMatchObject({
        metadata: false,
        type: 'realtime',
        group: 'SP4N-LAPOR!',
        keywords: expect.any(String),
        service_name: expect.any(String),
        description: expect.any(String),
      });
    }
    const definition = await world.http.get(`${V2}/services/aspirasi.json`);
    expect(definition.body).toEqual({ service_code: 'aspirasi', attributes: [] });
    const discovery = await world.http.get<{ endpoints: Array<{ url: string; specification: string }> }>('/open311/discovery.json');
    expect(discovery.body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: expect.stringMatching(/\/open311\/v2$/) });
  });

  it('given a form-encoded report with the app’s key, then a complaint on the integration channel to the key’s instansi, the reporter sealed', async () => {
    const answer = await world.http.postForm<Created>(`${V2}/requests.json`, { api_key: appKey, ...REPORT });
    expect(answer.status).toBe(200);
    const [created] = answer.body;
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^LAP-[2-9A-Z]{10}$/),
      service_notice: expect.stringContaining(created!.service_request_id),
      account_id: null,
    });

    const complaintId = complaintIdForTrackingId(created!.service_request_id);
    const [event] = await stores.store.readStream(`complaint-${complaintId}`);
    const data = event!.data as Record<string, unknown> & { reporter: { sealed: string; keyId: string } };
    expect(data).toMatchObject({
      kind: 'pengaduan',
      channel: 'integration',
      addressedTo: { id: NTT },
      location: 'Jl. El Tari, Kupang [-10.15839, 123.60631]',
      title: 'Lubang besar di tengah jalan El Tari depan kantor gubernur, sudah dua motor jatuh minggu ini.',
      by: { role: 'integration', nodeId: NTT },
    });
    expect(JSON.stringify(data)).not.toMatch(/Maria|maria\.goreti|3456/);
    expect(await world.context.vault.open(complaintId, data.reporter)).toEqual({
      name: 'Maria Goreti',
      email: 'maria.goreti@example.id',
      phone: '+6281234567890',
    });
  });

  it('given a JSON report with the key in the x-api-key header, then it is taken the same way', async () => {
    const answer = await world.http.postJson<Created>(
      `${V2}/requests.json`,
      { service_code: 'aspirasi', description: 'Mohon ditambah lampu penerangan di taman kota.', lat: -10.17, long: 123.59 },
      { 'x-api-key': appKey },
    );
    expect(answer.status).toBe(200);
    const shown = await read(answer.body[0]!.service_request_id);
    expect(shown.body[0]).toMatchObject({ service_code: 'aspirasi', status: 'open', lat: -10.17, long: 123.59, address: null });
  });

  it('given a bad service_code, a missing key, a key in the URL or a key for another channel, then errors in the Open311 shape, nothing stored', async () => {
    const smsOnly = await world.issueKey(null, ['sms_1708']);
    const startedAt = new Date().toISOString();
    const expectErrors = async (answer: Promise<{ status: number; headers: Headers; body: unknown }>, status: number, match: RegExp) => {
      const { status: got, headers, body } = await answer;
      expect({ got, body }).toEqual({ got: status, body: [{ code: status, description: expect.stringMatching(match) }] });
      expect(headers.get('content-type')).toMatch(/^application\/json/);
    };
    await expectErrors(
      world.http.postForm(`${V2}/requests.json`, { api_key: appKey, ...REPORT, service_code: 'jalan_rusak' }),
      400,
      /^service_code: jalan_rusak/,
    );
    await expectErrors(world.http.postForm(`${V2}/requests.json`, { ...REPORT }), 403, /^api_key: required/);
    await expectErrors(world.http.postForm(`${V2}/requests.json`, { ...REPORT, api_key: 'lapor_bukan_kunci' }), 403, /^api_key: unknown or revoked/);
    await expectErrors(world.http.postForm(`${V2}/requests.json?api_key=${encodeURIComponent(appKey)}`, { ...REPORT }), 400, /not in the URL/);
    await expectErrors(world.http.postForm(`${V2}/requests.json`, { ...REPORT, api_key: smsOnly }), 403, /may submit on sms_1708, not integration/);
    await expectErrors(world.http.postForm(`${V2}/requests.json`, { api_key: appKey, ...REPORT, jurisdiction_id: 'pemkab-sikka' }), 403, /^jurisdiction_id/);
    const missing = await world.http.postForm<Errors>(`${V2}/requests.json`, { api_key: appKey, service_code: 'pengaduan' });
    expect(missing.status).toBe(400);
    expect(missing.body.map((error) => error.description)).toEqual([expect.stringMatching(/^description/), expect.stringMatching(/^location/)]);
    const noServiceCode = await world.http.postJson<Errors>(`${V2}/requests.json`, { description: 'x', lat: 1, long: 1 }, { 'x-api-key': appKey });
    expect(noServiceCode.status).toBe(400);
    expect(noServiceCode.body[0]!.description).toMatch(/^service_code/);
    // counted by time, not by position: the log hides what other transactions on the server may still commit
    const log = await stores.store.readGlobalLog({ transactionId: 0n, position: 0n }, 100_000);
    expect(log.events.filter((event) => event.type === 'ComplaintSubmitted' && (event.data as { at: string }).at >= startedAt)).toEqual([]);
  });

  it('given a report, when staff verify, dispose, follow up, then it stays open with notes and the unit responsible; archived, it is closed', async () => {
    const id = await post();
    expect((await read(id)).body).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        status_notes: 'Belum Terverifikasi: Laporan diterima',
        service_name: 'Pengaduan',
        agency_responsible: NTT_NAME,
        address: 'Jl. El Tari, Kupang',
        lat: -10.15839,
        long: 123.60631,
      }),
    ]);

    await staffPost(id, 'verification', { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, adminNtt);
    expect((await read(id)).body[0]).toMatchObject({ status: 'open', status_notes: 'Belum Terverifikasi: Laporan diverifikasi' });
    await staffPost(id, 'dispositions', { to: PUPR }, adminNtt);
    expect((await read(id)).body[0]).toMatchObject({
      status: 'open',
      status_notes: 'Belum Ditindaklanjuti: Didisposisikan ke instansi/unit terkait',
      agency_responsible: PUPR_NAME,
    });
    await staffPost(id, 'follow-ups', { message: 'Tim sudah menambal lubang pada Senin pagi.' }, liaisonPupr);
    const followedUp = await read(id);
    expect(followedUp.body[0]).toMatchObject({ status: 'open', status_notes: 'Proses: Tindak lanjut' });
    expect(followedUp.text).not.toContain('menambal');

    const duplicate = await post();
    await staffPost(duplicate, 'archive', { reason: 'DUPLICATE', note: `Sama dengan ${id}` }, adminNtt);
    const archived = await read(duplicate);
    expect(archived.body[0]).toMatchObject({ status: 'closed', status_notes: 'Arsip: Laporan diarsipkan (Duplikat)' });
    expect(archived.text).not.toContain('Sama dengan');
  });

  it('given an aspiration answered directly, then it is closed as completed', async () => {
    const id = await post({ service_code: 'aspirasi', description: 'Usul jalur sepeda di Jalan Frans Seda.' });
    await staffPost(id, 'aspiration-answer', { answer: 'Terima kasih, masuk rencana 2027.' }, adminNtt);
    expect((await read(id)).body[0]).toMatchObject({ status: 'closed', status_notes: 'Selesai: Aspirasi dijawab', service_code: 'aspirasi' });
  });

  it('given an unknown or malformed id, or XML, then 404 / 400 in the Open311 shape', async () => {
    const unknown = await world.http.get<Errors>(`${V2}/requests/LAP-2345678923.json`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: 'service_request_id: no public request LAP-2345678923.' }]);
    expect((await world.http.get<Errors>(`${V2}/requests/bukan-id.json`)).status).toBe(404);
    const xml = await world.http.get<Errors>(`${V2}/services.xml`);
    expect(xml.status).toBe(400);
    expect(xml.body).toEqual([{ code: 400, description: expect.stringContaining('Only the JSON format') }]);
    expect((await world.http.get<Errors>(`${V2}/requests/LAP-2345678923.xml`)).status).toBe(400);
    const noRoute = await world.http.get<Errors>(`${V2}/tokens/123.json`);
    expect(noRoute.status).toBe(404);
    expect(noRoute.body[0]).toMatchObject({ code: 404 });
    expect((await world.http.get<Errors>(`${V2}/services/wbs.json`)).body).toEqual([{ code: 404, description: expect.stringMatching(/^service_code: wbs/) }]);
  });

  it('given confidential complaints, then neither their content nor their existence shows, by id or in lists; nor any reporter, nor the text they wrote', async () => {
    const secret = await world.http.postJson<{ trackingId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Kepala dinas meminta uang pelicin',
      description: 'Rahasia: pungutan di loket perizinan.',
      addressedTo: NTT,
      confidential: true,
    });
    const wbs = await world.http.postJson<{ trackingId: string }>('/complaints', {
      kind: 'wbs',
      channel: 'web',
      title: 'Pengadaan fiktif',
      description: 'Bukti ada pada saya.',
      addressedTo: NTT,
    });
    const later = await post({ description: 'Menjadi rahasia setelah verifikasi: pungli parkir di pasar.' });
    await staffPost(later, 'verification', { slaClass: 'tanpa_pengawasan', category: 'Pungli', confidential: true }, adminNtt);
    const shown = await post();

    for (const id of [secret.body.trackingId, wbs.body.trackingId, later]) {
      const answer = await read(id);
      expect(answer.status).toBe(404);
      expect(answer.text).not.toMatch(/pelicin|Rahasia|fiktif|pungli parkir/i);
    }
    const listed = await readUntil(
      () => world.http.get<Request[]>(`${V2}/requests.json?page_size=500`),
      (answer) => answer.body.some((request) => request.service_request_id === shown),
    );
    const ids = listed.body.map((request) => request.service_request_id);
    expect(ids).toContain(shown);
    expect(ids).not.toContain(secret.body.trackingId);
    expect(ids).not.toContain(wbs.body.trackingId);
    expect(ids).not.toContain(later);
    expect(listed.text).not.toMatch(/pelicin|Pengadaan fiktif|Maria|Goreti|maria\.goreti|6281234567890|sudah dua motor jatuh minggu ini, /);
    const byIds = await world.http.get<Request[]>(`${V2}/requests.json?service_request_id=${[shown, secret.body.trackingId, later].join(',')}`);
    expect(byIds.body.map((request) => request.service_request_id)).toEqual([shown]);
  });

  it('given an anonymous complaint, then the public sees no address and only the area (0.1°), by id and in lists', async () => {
    const anonymous = await world.http.postJson<{ trackingId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Pungutan liar di kelurahan',
      description: 'Saya takut diketahui.',
      location: 'Jl. Rumah Saya No. 7, Kupang [-10.17721, 123.60744]',
      addressedTo: NTT,
      anonymous: true,
    });
    const id = anonymous.body.trackingId;
    const [one] = (await read(id)).body;
    expect(one).toMatchObject({ service_request_id: id, address: null, lat: -10.2, long: 123.6 });
    const listed = await readUntil(
      () => world.http.get<Request[]>(`${V2}/requests.json?page_size=500`),
      (answer) => answer.body.some((request) => request.service_request_id === id),
    );
    expect(listed.body.find((request) => request.service_request_id === id)).toMatchObject({ address: null, lat: -10.2, long: 123.6 });
    expect(listed.text).not.toMatch(/Rumah Saya|-10\.17721|123\.60744/);
  });

  it('given many reports, when the app lists them by service, status and dates, then it gets just those, newest first', async () => {
    const aspiration = await post({ service_code: 'aspirasi', description: 'Perpanjang jam layanan Samsat.' });
    const answered = await post({ service_code: 'aspirasi', description: 'Tambah loket di Dukcapil.' });
    await staffPost(answered, 'aspiration-answer', { answer: 'Sudah ditambah.' }, adminNtt);
    const list = (query: string) => world.http.get<Request[]>(`${V2}/requests.json?${query}`);

    const aspirations = await readUntil(
      () => list('service_code=aspirasi'),
      (answer) => [aspiration, answered].every((id) => answer.body.some((request) => request.service_request_id === id)),
    );
    expect(aspirations.body.every((request) => request.service_code === 'aspirasi')).toBe(true);
    expect(aspirations.body.map((request) => request.service_request_id).indexOf(answered)).toBeLessThan(
      aspirations.body.map((request) => request.service_request_id).indexOf(aspiration),
    );
    const closed = await readUntil(
      () => list('service_code=aspirasi&status=closed'),
      (answer) => answer.body.some((request) => request.service_request_id === answered),
    );
    expect(closed.body.every((request) => request.status === 'closed')).toBe(true);
    expect(closed.body.map((request) => request.service_request_id)).not.toContain(aspiration);
    expect((await list(`jurisdiction_id=${NTT}&service_code=aspirasi&status=open`)).body.map((request) => request.service_request_id)).toContain(aspiration);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await list(`start_date=${encodeURIComponent(tomorrow)}`)).body).toEqual([]);
    const tooLong = await list(`start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual([{ code: 400, description: 'start_date, end_date: at most 90 days apart.' }]);
    expect((await list('status=pending')).status).toBe(400);
    expect((await list('service_code=wbs')).status).toBe(400);
    expect((await list('page_size=1')).body).toHaveLength(1);
  });
});

describe('the Open311 facade under the public rate limit', () => {
  it('given an address over its budget, then reads answer 429 in the Open311 shape; an app posting with its key is not counted per address', async () => {
    const stores = await STORES[0][1]();
    const world = await open311World(stores, { publicRateLimit: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await world.http.get(`${V2}/services.json`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = await world.http.get<Errors>(`${V2}/services.json`);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual([{ code: 429, description: expect.stringContaining('requests a minute') }]);

      const key = await world.issueKey(NTT);
      const posted = [];
      for (let i = 0; i < 3; i++) posted.push((await world.http.postForm(`${V2}/requests.json`, { api_key: key, ...REPORT })).status);
      expect(posted).toEqual([200, 200, 200]);
    } finally {
      await world.app.close();
      await stores.close();
    }
  });
});
