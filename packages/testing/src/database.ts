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
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
