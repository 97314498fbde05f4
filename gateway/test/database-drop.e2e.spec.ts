import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { serverStores } from './support/stores';

// PostgreSQL drops the gateway's connections (pg_terminate_backend) while complaints pour in.
describe('when the database drops its connections under load', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let baseUrl: string;
  let databaseName: string;

  beforeAll(async () => {
    const opened = await serverStores('dropped');
    stores = opened;
    databaseName = opened.databaseName;
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'drop-secret-drop-secret-drop-secret',
      seedOrganisation: DEMO_ORGANISATION,
      publicRateLimit: 1_000_000,
    }));
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const submit = async (i: number) => {
    const response = await fetch(`${baseUrl}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'pengaduan', channel: 'web', title: `Laporan ${i}`, description: 'Saat koneksi diputus', addressedTo: NTT_ID }),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
  };

  it('then requests fail with 503 problem+json or succeed, never 500, nothing is half-written, and it recovers by itself', async () => {
    const admin = new Client({ connectionString: process.env.LAPOR_TEST_DATABASE_URL });
    await admin.connect();
    let terminating = true;
    const terminator = (async () => {
      while (terminating) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const answers: Awaited<ReturnType<typeof submit>>[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 25; i++) answers.push(await submit(worker * 100 + i));
      }),
    );
    terminating = false;
    await terminator;
    await admin.end();

    const statuses = new Set(answers.map((a) => a.status));
    // the fault did strike: some requests were cut off mid-query
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect([...statuses].filter((s) => s !== 201 && s !== 503)).toEqual([]);
    for (const refused of answers.filter((a) => a.status === 503)) {
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 503, type: 'https://lapor.go.id/problems/service-unavailable' });
    }

    // recovered: the next requests go through without anyone restarting anything
    const after = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(10_000 + i)));
    expect(after.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);

    // every accepted complaint is there, whole (one submission event each)
    for (const accepted of [...answers, ...after].filter((a) => a.status === 201)) {
      const stream = await stores.store.readStream(`complaint-${String(accepted.body.complaintId)}`);
      expect(stream.map((e) => e.type)).toEqual(['ComplaintSubmitted']);
    }
  }, 300_000); // 10 s on a quiet machine, over 120 s under CI's parallel load (see the stop note)
});
