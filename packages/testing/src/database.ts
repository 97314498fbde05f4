import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { discoverPostgres } from './discovery';

/** Set by the jest global setup, so every worker talks to the same discovered server. */
export const TEST_SERVER_URL_VARIABLE = 'LAPOR_TEST_DATABASE_URL';

export interface TestDatabase {
  /** Connection string of a database that belongs to this test file alone. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

async function serverUrl(): Promise<string> {
  return process.env[TEST_SERVER_URL_VARIABLE] ?? (await discoverPostgres()).value;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh, empty database on the test server, so test files can run in parallel. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const server = await serverUrl();
  const name = `lapor_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(server, name),
    async drop() {
      const client = new Client({ connectionString: server });
      await client.connect();
      try {
        // pg-pool's end() resolves once it has *asked* its idle clients to close, not when they have:
        // a FORCE drop at that moment cuts them off and their pool raises an unhandled 57P01. Let
        // them go first; FORCE is only for a straggler a test left open.
        for (let waited = 0; waited < 2_000; waited += 50) {
          const { rows } = await client.query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.sessions === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
