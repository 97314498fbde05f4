import type { Stores } from '@lapor/http-kit';
import { request } from 'node:http';
import { NTT, STORES, open311World } from './support/open311-world';

// What fuzzing turned into 500s or into Fastify's own JSON: text PostgreSQL cannot store, and
// errors raised before any route (a bad % in the path, a too long path segment, headers too large).
// Each is a 400-class answer in the API's shape: problem+json, and Open311's on Open311 routes.

type Problem = { type: string; status: number; detail?: string; errors?: { field: string; message: string }[] };
type Open311Errors = { code: number; description: string }[];

/** A raw GET over a socket, so nothing between us and the server cleans the request up. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('fuzzed input answered in the API’s shape (embedded store)', () => {
  let stores: Stores;
  let world: Awaited<ReturnType<typeof open311World>>;
  let port: number;
  beforeAll(async () => {
    stores = await STORES[0][1]();
    world = await open311World(stores);
    port = (world.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await world.app.close();
    await stores.close();
  });

  const submission = (fields: Record<string, unknown>) => ({
    kind: 'pengaduan',
    channel: 'web',
    title: 'Jalan rusak',
    description: 'Lubang besar di jalan El Tari.',
    addressedTo: NTT,
    ...fields,
  });

  it.each([
    ['a NUL character', 'Jalan\u0000rusak', /NUL/],
    ['a lone surrogate', 'Jalan \ud800 rusak', /lone surrogate/],
  ])('given %s in a free-text field of a public submission, then 400 problem+json naming the field', async (_what, title, message) => {
    const answer = await world.app.inject({
      method: 'POST',
      url: '/complaints',
      payload: JSON.stringify(submission({ title })),
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(answer.json<Problem>().errors).toEqual([{ field: 'body.title', message: expect.stringMatching(message) as string }]);
  });

  it('given such text nested or in a query, then the field named is the nested one', async () => {
    const nested = await world.app.inject({ method: 'POST', url: '/complaints', payload: submission({ reporter: { name: 'Maria\u0000' } }) });
    expect(nested.json<Problem>().errors).toEqual([{ field: 'body.reporter.name', message: expect.stringMatching(/NUL/) as string }]);
    const query = await world.app.inject({ method: 'GET', url: '/open311/v2/requests.json?service_request_id=%00' });
    expect(query.statusCode).toBe(400);
    expect(query.json<Open311Errors>()).toEqual([{ code: 400, description: expect.stringMatching(/^service_request_id: .*NUL/) as string }]);
  });

  it('given a NUL in an Open311 post, then Open311’s 400 names the field', async () => {
    const key = await world.issueKey(NTT);
    const answer = await world.http.postForm<Open311Errors>('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'pengaduan',
      description: 'Lubang\u0000 besar',
      lat: '-10.1',
      long: '123.6',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([{ code: 400, description: expect.stringMatching(/^description: .*NUL/) as string }]);
  });

  it('given a bad % in a path, then 400 problem+json; under /open311, Open311’s shape', async () => {
    const plain = await rawGet(port, '/tracking/%zz');
    expect(plain.status).toBe(400);
    expect(plain.type).toMatch(/application\/problem\+json/);
    expect(JSON.parse(plain.body)).toMatchObject({ type: 'https://lapor.go.id/problems/bad-request', status: 400 });
    const open311 = await rawGet(port, '/open311/v2/requests/%zz.json');
    expect(open311.status).toBe(400);
    expect(open311.type).toMatch(/^application\/json/);
    expect(JSON.parse(open311.body)).toEqual([{ code: 400, description: expect.stringMatching(/valid URL/) as string }]);
  });

  it('given a path segment past the router’s limit, then 414 in the same shapes', async () => {
    const plain = await rawGet(port, `/tracking/${'A'.repeat(500)}`);
    expect(plain.status).toBe(414);
    expect(plain.type).toMatch(/application\/problem\+json/);
    expect(JSON.parse(plain.body)).toMatchObject({ type: 'https://lapor.go.id/problems/uri-too-long', status: 414 });
    const open311 = await rawGet(port, `/open311/v2/requests/${'A'.repeat(500)}.json`);
    expect(open311.status).toBe(414);
    expect(JSON.parse(open311.body)).toEqual([{ code: 414, description: expect.any(String) as string }]);
  });

  it('given headers or a URL past Node’s limit, then 431 in the same shapes, on a real socket', async () => {
    const plain = await rawGet(port, '/tracking/LPR-1', { 'x-padding': 'x'.repeat(20_000) });
    expect(plain.status).toBe(431);
    expect(plain.type).toMatch(/application\/problem\+json/);
    expect(JSON.parse(plain.body)).toMatchObject({ type: 'https://lapor.go.id/problems/headers-too-large', status: 431 });
    const open311 = await rawGet(port, `/open311/v2/requests.json?jurisdiction_id=${'x'.repeat(20_000)}`);
    expect(open311.status).toBe(431);
    expect(JSON.parse(open311.body)).toEqual([{ code: 431, description: expect.stringMatching(/larger than this server reads/) as string }]);
  });
});
