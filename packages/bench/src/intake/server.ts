// A server for the intake benchmark, in a process of its own so the load generator does not share
// its event loop. `tsx server.ts gateway|bare <databaseUrl>` prints "ready <url>" when it listens.
import { buildGateway } from '@lapor/gateway';
import { openServerStores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { startTracing } from '@lapor/tracing';
import Fastify from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { BENCH_JWT_SECRET, BENCH_PASSWORD } from './constants';

async function gateway(url: string): Promise<string> {
  // as the gateway's main does: traces only with a collector, started before the app is built
  startTracing('gateway', process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const stores = await openServerStores({ connectionString: url, poolSize: 20, masterKey: masterKey(randomBytes(32)) });
  const { app } = await buildGateway({
    ...stores,
    jwtSecret: BENCH_JWT_SECRET,
    seedOrganisation: [
      { kind: 'nasional', id: 'nasional', name: 'Nasional', parentId: null },
      { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
    ],
    seedAccounts: [{ username: 'admin-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt', password: BENCH_PASSWORD }],
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** The limit: the same request validated by Fastify, answered after one plain INSERT. */
async function bare(url: string): Promise<string> {
  const pool = new Pool({ connectionString: url, max: 20 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bare_complaints (id uuid PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
  const app = Fastify();
  app.post('/complaints', async (request, reply) => {
    const id = randomUUID();
    await pool.query({ name: 'bare-insert', text: 'INSERT INTO bare_complaints (id, body) VALUES ($1, $2)', values: [id, JSON.stringify(request.body)] });
    return reply.code(201).send({ complaintId: id });
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const [mode, url] = process.argv.slice(2);
if (!url) throw new Error('usage: server.ts gateway|bare <databaseUrl>');
(mode === 'gateway' ? gateway(url!) : bare(url!)).then(
  (address) => console.log(`ready ${address}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

// a clean exit on Ctrl-C or kill, so a --cpu-prof run writes its profile
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
