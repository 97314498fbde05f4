import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { IdempotencyRecords } from '../src/idempotency-records';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idempotency records on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('idempotency_records');
    pool = new Pool({ connectionString: database.url, max: 4 });
    db = createPgRunner(pool, { ownsPool: false });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given a started request, then a second copy is told it runs, another body is told the key is reused, and once answered the answer is given', async () => {
    const records = new IdempotencyRecords(db, { keptForMs: 60_000, abandonedAfterMs: 60_000 });
    expect(await records.admit('a', 'body-1')).toEqual({ state: 'started' });
    expect(await records.admit('a', 'body-1')).toEqual({ state: 'running' });
    expect(await records.admit('a', 'body-2')).toEqual({ state: 'reused' });
    await records.complete('a', 'sealed-answer');
    expect(await records.admit('a', 'body-1')).toEqual({ state: 'completed', sealed: 'sealed-answer' });
  });

  it('given a request that changed nothing, when it is forgotten, then a retry runs afresh', async () => {
    const records = new IdempotencyRecords(db, { keptForMs: 60_000, abandonedAfterMs: 60_000 });
    expect(await records.admit('b', 'body')).toEqual({ state: 'started' });
    await records.forget('b');
    expect(await records.admit('b', 'body')).toEqual({ state: 'started' });
  });

  it('given a request whose process died, then after the abandonment bound exactly one retry takes it over', async () => {
    const records = new IdempotencyRecords(db, { keptForMs: 60_000, abandonedAfterMs: 1_000 });
    expect(await records.admit('c', 'body')).toEqual({ state: 'started' });
    await sleep(1_200);
    const takers = await Promise.all([records.admit('c', 'body'), records.admit('c', 'body'), records.admit('c', 'body')]);
    expect(takers.filter((taker) => taker.state === 'started')).toHaveLength(1);
  });

  it('given records past their expiry, then the purge deletes them and an expired key names a new request', async () => {
    const records = new IdempotencyRecords(db, { keptForMs: 50, abandonedAfterMs: 60_000 });
    const kept = new IdempotencyRecords(db, { keptForMs: 3_600_000, abandonedAfterMs: 60_000 });
    await kept.admit('kept', 'body');
    for (const id of ['d1', 'd2', 'd3']) {
      await records.admit(id, 'body');
      await records.complete(id, 'answer');
    }
    const before = await records.count();
    await sleep(100);
    expect(await records.admit('d1', 'another body')).toEqual({ state: 'started' }); // expired: not "reused"
    expect(await records.purge()).toBeGreaterThanOrEqual(2);
    expect(await records.count()).toBe(before - 2);
    expect(await kept.admit('kept', 'body')).toEqual({ state: 'running' });
  });
});
