import type { ServiceApp, Stores } from '@lapor/http-kit';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

// A civic-reporting app that speaks Open311 GeoReport v2 posts to the gateway unchanged, and reads
// the request back as it moves; its errors come in Open311's shape, not problem+json.

describe('Open311 through the gateway', () => {
  let stores: Stores;
  let gateway: ServiceApp;
  let http: HttpClient;
  let apiKey = '';
  let admin = '';

  beforeAll(async () => {
    stores = await embeddedStores();
    gateway = await buildGateway({
      ...stores,
      jwtSecret: 'open311-secret-open311-secret-open311',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts('pw-open311'),
    });
    http = httpClient(await gateway.app.listen({ port: 0, host: '127.0.0.1' }));
    admin = await http.token('admin-ntt', 'pw-open311');
    const issued = await http.post<{ key: string }>('/api-keys', { name: 'aplikasi warga', instansiId: NTT_ID, channels: ['integration'] }, { token: admin });
    expect(issued.status).toBe(201);
    apiKey = issued.body.key;
  });
  afterAll(async () => {
    await gateway.app.close();
    await stores.close();
  });

  it('given an app posting a request with its key, then it gets a service_request_id it can read back, open until it closes', async () => {
    const services = await http.get<{ service_code: string }[]>('/open311/v2/services.json');
    expect(services.status).toBe(200);
    expect(services.body.map((service) => service.service_code)).toContain('pengaduan');

    const posted = await http.post<{ service_request_id: string }[]>('/open311/v2/requests.json', {
      api_key: apiKey,
      service_code: 'pengaduan',
      description: 'Lampu jalan di depan pasar mati sejak seminggu.',
      address_string: 'Jl. Soekarno, Kupang',
    });
    expect(posted.status).toBe(200);
    const id = posted.body[0]!.service_request_id;
    const read = await http.get<{ service_request_id: string; status: string }[]>(`/open311/v2/requests/${id}.json`);
    expect(read.status).toBe(200);
    expect(read.body[0]).toMatchObject({ service_request_id: id, status: 'open' });
  });

  it('given a bad service code or an unknown id, then the answer is an Open311 error array, not problem+json', async () => {
    const bad = await http.post<{ code: number; description: string }[]>('/open311/v2/requests.json', {
      api_key: apiKey,
      service_code: 'tidak-ada',
      description: 'x',
      address_string: 'y',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([expect.objectContaining({ code: 400, description: expect.any(String) })]);
    const unknown = await http.get('/open311/v2/requests/ABCDEFGHJK.json');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
  });
});
