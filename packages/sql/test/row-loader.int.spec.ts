import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { createPgRunner, createPGliteRunner, openPGlite, rowLoader, type SqlRunner } from '../src';

// What a rebuild loads its shadow tables with: COPY on a server, chunked INSERTs on PGlite. Either
// way a value lands as it was given, whatever characters it holds, and NULL stays NULL.

const COLUMNS = ['id', 'title', 'amount', 'flag', 'at', 'doc'] as const;
const awkward = [
  [1, 'tab\there, newline\nthere, return\r, backslash \\ and \\N', 7, true, '2025-01-01T00:00:00.000+07:00', { tembusan: ['a\tb', 'c\\d'], quote: '"' }],
  [2, null, null, false, '2025-06-30T23:59:59.999Z', []],
  [3, 'jalan berlubang di depan pasar 🚧', '9007199254740991', null, '2026-12-31T12:00:00+09:00', { n: null }],
];

const cases: [string, () => Promise<{ db: SqlRunner; close(): Promise<void> }>][] = [
  [
    'PostgreSQL (COPY)',
    async () => {
      const database: TestDatabase = await createTestDatabase('row_loader');
      const pool = new Pool({ connectionString: database.url, max: 2 });
      const db = createPgRunner(pool, { ownsPool: true });
      return {
        db,
        async close() {
          await db.close();
          await database.drop();
        },
      };
    },
  ],
  [
    'PGlite (INSERT)',
    async () => {
      const db = createPGliteRunner(await openPGlite(), { ownsDatabase: true });
      return { db, close: () => db.close() };
    },
  ],
];

describe.each(cases)('loading rows into a table, %s', (_store, open) => {
  let opened: { db: SqlRunner; close(): Promise<void> };

  beforeAll(async () => {
    opened = await open();
    await opened.db.exec(`CREATE TABLE loaded (id bigint, title text, amount numeric, flag boolean, at timestamptz, doc json)`);
  });
  afterAll(() => opened.close());

  it('given values with tabs, newlines, backslashes, NULLs and json, when loaded in several chunks, then every row reads back as it was given', async () => {
    const { db } = opened;
    const loader = rowLoader(db, 'loaded', COLUMNS);
    const many = 25_000; // more than one chunk of either loader
    for (let index = 0; index < many; index++) await loader.add(awkward[index % awkward.length]!.map((value, column) => (column === 0 ? index : value)));
    await loader.flush();

    expect(loader.rows).toBe(many);
    const rows = await db.query<{ id: string; title: string | null; amount: string | null; flag: boolean | null; at: Date; doc: unknown }>(
      `SELECT id::text, title, amount::text, flag, at, doc FROM loaded WHERE id < 3 ORDER BY id`,
    );
    expect(rows.map((row) => [row.title, row.amount, row.flag, new Date(row.at).toISOString(), row.doc])).toEqual([
      [awkward[0]![1], '7', true, '2024-12-31T17:00:00.000Z', awkward[0]![5]],
      [null, null, false, '2025-06-30T23:59:59.999Z', []],
      [awkward[2]![1], '9007199254740991', null, '2026-12-31T03:00:00.000Z', { n: null }],
    ]);
    const [count] = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM loaded`);
    expect(Number(count!.n)).toBe(many);
  });

  it('given a value the column cannot take, when flushed, then the load fails with the database’s error', async () => {
    const loader = rowLoader(opened.db, 'loaded', COLUMNS);
    await loader.add([1, 'x', 'not a number', true, '2025-01-01T00:00:00Z', {}]);
    await expect(loader.flush()).rejects.toThrow(/numeric/);
  });
});

describe('filling a table on PostgreSQL (COPY … FREEZE in the transaction that empties it)', () => {
  let database: TestDatabase;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('row_loader_frozen');
    db = createPgRunner(new Pool({ connectionString: database.url, max: 2 }), { ownsPool: true });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const count = async (table: string): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  it('given rows in several chunks, when flushed, then they replace what the table held and every page is visible to all without a VACUUM', async () => {
    await db.exec(`CREATE TABLE filled (id bigint, title text); INSERT INTO filled VALUES (-1, 'left over')`);
    const loader = rowLoader(db, 'filled', ['id', 'title']);
    for (let index = 0; index < 45_000; index++) await loader.add([index, `pengaduan ${index}`]);
    await loader.flush();

    expect(loader.frozen).toBe(true);
    expect(await count('filled')).toBe(45_000);
    expect(await count('filled WHERE id < 0')).toBe(0);
    // ANALYZE reads the visibility map: a plain COPY leaves no page all-visible until a VACUUM
    await db.exec(`ANALYZE filled`);
    const [pages] = await db.query<{ relpages: number; relallvisible: number }>(`SELECT relpages, relallvisible FROM pg_class WHERE relname = 'filled'`);
    expect(pages!.relpages).toBeGreaterThan(1);
    expect(pages!.relallvisible).toBe(pages!.relpages);
  });

  it('given a fill abandoned after a chunk went in, then the table holds what it held before and nothing holds it', async () => {
    await db.exec(`CREATE TABLE kept (id bigint, title text); INSERT INTO kept VALUES (-1, 'kept')`);
    const loader = rowLoader(db, 'kept', ['id', 'title']);
    for (let index = 0; index < 25_000; index++) await loader.add([index, 'x']); // the first chunk is sent
    await loader.abandon();

    expect(await count('kept')).toBe(1);
    await db.exec(`SET lock_timeout = '2s'; DROP TABLE kept; RESET lock_timeout`);
  });
});
