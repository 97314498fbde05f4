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

/** A kept database, and what an earlier run filled it with (undefined: nothing finished filling it). */
export interface KeptDatabase {
  readonly url: string;
  readonly filled: { readonly complaints: number; readonly events: number } | undefined;
  /** Marks the fill finished, so a later run reuses the database instead of filling it again. */
  markFilled(complaints: number, events: number): Promise<void>;
}

const KEPT_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/**
 * A database kept between runs (LAPOR_BENCH_KEEP_DB): filling a million complaints takes a quarter of
 * an hour, measuring them minutes. A database whose fill did not finish (no mark) is dropped and made
 * again, from `template` when given (an earlier stage's database: the fill goes on from its rows).
 * The template must have no connections open; its copy is PostgreSQL's CREATE DATABASE … TEMPLATE.
 */
export async function keptBenchDatabase(serverUrl: string, name: string, template?: string): Promise<KeptDatabase> {
  if (!KEPT_NAME.test(name)) throw new Error(`LAPOR_BENCH_KEEP_DB: "${name}" is not a plain lower-case database name`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  let filled: KeptDatabase['filled'];
  try {
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
    if (exists) filled = await readFilledMark(url.toString());
    if (!filled) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    }
  } finally {
    await admin.end();
  }
  return {
    url: url.toString(),
    filled,
    async markFilled(complaints, events) {
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS public.lapor_bench_filled (complaints bigint NOT NULL, events bigint NOT NULL)`);
        await client.query(`DELETE FROM public.lapor_bench_filled`);
        await client.query(`INSERT INTO public.lapor_bench_filled (complaints, events) VALUES ($1, $2)`, [complaints, events]);
      } finally {
        await client.end();
      }
    },
  };
}

async function readFilledMark(url: string): Promise<KeptDatabase['filled']> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const [table] = (await client.query<{ present: boolean }>(`SELECT to_regclass('public.lapor_bench_filled') IS NOT NULL AS present`)).rows;
    if (!table?.present) return undefined;
    const [row] = (await client.query<{ complaints: string; events: string }>(`SELECT complaints, events FROM public.lapor_bench_filled`)).rows;
    return row ? { complaints: Number(row.complaints), events: Number(row.events) } : undefined;
  } finally {
    await client.end();
  }
}
