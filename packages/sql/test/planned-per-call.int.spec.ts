import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { createPgRunner, plannedPerCall, type SqlRunner } from '../src';

// The pg runner prepares every statement by name, and PostgreSQL switches a named statement to one
// generic plan from its sixth run on a connection. A search's best plan turns on its words (a common
// one: walk the receipt index; a rare one: read the match index), so a search is marked to be planned
// at each call. What the server holds for the connection (pg_prepared_statements) shows which is which.

describe('statements planned per call, on PostgreSQL', () => {
  let database: TestDatabase;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('planned_per_call');
    // one connection: every run below meets the same server session
    db = createPgRunner(new Pool({ connectionString: database.url, max: 1 }), { ownsPool: true });
    await db.exec(`CREATE TABLE words (id integer PRIMARY KEY, word text NOT NULL); CREATE INDEX words_word ON words (word);
                   INSERT INTO words SELECT n, CASE WHEN n % 100 = 0 THEN 'langka' ELSE 'jalan' END FROM generate_series(1, 5000) n`);
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const held = (text: string) =>
    db.query<{ generic_plans: string; custom_plans: string }>(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1`, [
      `%${text}%`,
    ]);

  it('given a statement run ten times unmarked, the server holds it prepared and plans it generically after the fifth', async () => {
    for (let run = 0; run < 10; run++) await db.query(`SELECT count(*) AS n FROM words WHERE word = $1 /* unmarked */`, [run % 2 ? 'jalan' : 'langka']);

    const [statement] = await held('/* unmarked */');
    expect(statement).toBeDefined();
    expect(Number(statement!.generic_plans)).toBeGreaterThan(0);
  });

  it('given the same statement marked planned per call, nothing is held prepared and each run counts with its own word', async () => {
    const counts: number[] = [];
    for (let run = 0; run < 10; run++) {
      const [row] = await db.query<{ n: string }>(plannedPerCall(`SELECT count(*) AS n FROM words WHERE word = $1 /* marked */`), [
        run % 2 ? 'jalan' : 'langka',
      ]);
      counts.push(Number(row!.n));
    }

    expect(await held('/* marked */')).toEqual([]);
    expect(counts).toEqual([50, 4950, 50, 4950, 50, 4950, 50, 4950, 50, 4950]);
  });
});
