import { exposition, METRIC } from '@lapor/metrics';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { createPgRunner, type SqlRunner } from '../src';

// What a request or a read side costs the database is first of all a number of round trips: the
// runner counts each statement it sends, and /metrics shows the count (bench:distributed reads it).

/** lapor_db_statements_total as /metrics shows it now, by kind. */
async function sent(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of (await exposition()).body.split('\n')) {
    const match = new RegExp(`^${METRIC.dbStatements}\\{kind="([a-z_]+)"\\} (\\d+)`).exec(line);
    if (match) counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

describe('statements counted as they are sent, on PostgreSQL', () => {
  let database: TestDatabase;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('statements_counted');
    db = createPgRunner(new Pool({ connectionString: database.url, max: 2 }), { ownsPool: true });
    await db.exec('CREATE TABLE notes (id integer PRIMARY KEY)');
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('given a statement, then one more statement; given a transaction of two, then two more and BEGIN and COMMIT', async () => {
    const before = await sent();
    await db.query('SELECT count(*) FROM notes');
    const afterOne = await sent();
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO notes (id) VALUES ($1)', [1]);
      await tx.query('INSERT INTO notes (id) VALUES ($1)', [2]);
    });
    const afterTransaction = await sent();

    expect(afterOne.statement! - (before.statement ?? 0)).toBe(1);
    expect(afterTransaction.statement! - afterOne.statement!).toBe(2);
    expect(afterTransaction.transaction_control! - (afterOne.transaction_control ?? 0)).toBe(2);
  });

  it('given a transaction that fails, then its ROLLBACK is counted too', async () => {
    const before = await sent();
    await expect(db.transaction((tx) => tx.query('INSERT INTO notes (id) VALUES ($1)', ['not a number']))).rejects.toThrow();
    const after = await sent();

    expect(after.transaction_control! - before.transaction_control!).toBe(2);
    expect(after.statement! - before.statement!).toBe(1);
  });
});
