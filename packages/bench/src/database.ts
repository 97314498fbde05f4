import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one bench run on the server at `serverUrl`, dropped at the end: runs never
 * see each other's rows, and an interrupted run leaves one obviously named database behind.
 */
export async function createBenchDatabase(serverUrl: string, label?: string): Promise<BenchDatabase> {
  const name = `lapor_bench_${label ? `${label}_` : ''}${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
