import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { applyOnce, prepareAppliedPositions, prepareReadModelTables, type EventEnvelope, type EventHandler, type ReadModelTables } from '../src';

// A read model's tables carry their shape: another version's tables, or a schema dropped by hand,
// never leave a read side believing it applied events its tables do not hold.

describe('a read model’s tables', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  const model = (shape: number): ReadModelTables => ({
    schema: 'shaped',
    consumer: 'shaped-list',
    shape,
    ddl: (schema) => `CREATE TABLE ${schema}.rows (id text PRIMARY KEY);`,
  });
  const handler: EventHandler = {
    name: 'shaped-list',
    async handle(event, tx) {
      await tx.query('INSERT INTO shaped.rows (id) VALUES ($1)', [event.complaintId]);
    },
  };
  const fill = async () => {
    const event: EventEnvelope = {
      eventId: 'e-1',
      type: 'ComplaintSubmitted',
      schemaVersion: 1,
      complaintId: 'c-1',
      streamVersion: 0n,
      globalPosition: 1n,
      recordedAt: '2026-01-01T00:00:00.000Z',
      data: {},
    };
    return applyOnce(db, handler, event);
  };
  const rows = async () => (await db.query<{ id: string }>('SELECT id FROM shaped.rows')).map((row) => row.id);

  beforeAll(async () => {
    database = await createTestDatabase('read_model_tables');
    pool = new Pool({ connectionString: database.url, max: 2 });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given filled tables of this shape, when prepared again, then they are kept with what was applied', async () => {
    expect(await prepareReadModelTables(db, model(1))).toEqual({ reset: false });
    expect(await fill()).toBe('applied');
    expect(await prepareReadModelTables(db, model(1))).toEqual({ reset: false });
    expect(await rows()).toEqual(['c-1']);
    expect(await fill()).toBe('skipped');
  });

  it('given tables of another shape, when prepared, then they are made anew and the consumer applies everything again', async () => {
    expect(await prepareReadModelTables(db, model(2))).toEqual({ reset: true });
    expect(await rows()).toEqual([]);
    expect(await fill()).toBe('applied');
    expect(await rows()).toEqual(['c-1']);
  });

  it('given the schema dropped by hand, when prepared, then the consumer applies everything again', async () => {
    await db.exec('DROP SCHEMA shaped CASCADE');
    expect(await prepareReadModelTables(db, model(2))).toEqual({ reset: false });
    expect(await fill()).toBe('applied');
    expect(await rows()).toEqual(['c-1']);
  });

  it('given tables of an older shape with upgrades up to this one, when prepared, then they are upgraded in place: the rows and what was applied are kept', async () => {
    const upgraded: ReadModelTables = {
      ...model(4),
      ddl: (schema) => `CREATE TABLE ${schema}.rows (id text PRIMARY KEY, seen boolean NOT NULL DEFAULT true);`,
      upgrades: {
        2: (schema) => `ALTER TABLE ${schema}.rows ADD COLUMN seen boolean NOT NULL DEFAULT true`,
        3: (schema) => `CREATE INDEX rows_seen ON ${schema}.rows (seen)`,
      },
    };
    expect(await prepareReadModelTables(db, upgraded)).toEqual({ reset: false, upgradedFrom: 2 });
    expect(await db.query('SELECT id, seen FROM shaped.rows')).toEqual([{ id: 'c-1', seen: true }]);
    expect(await fill()).toBe('skipped');
    expect(await prepareReadModelTables(db, upgraded)).toEqual({ reset: false });
  });

  it('given tables of a shape with no upgrade path, when prepared, then they are made anew as before', async () => {
    const gap: ReadModelTables = { ...model(6), upgrades: { 5: (schema) => `CREATE INDEX rows_again ON ${schema}.rows (id)` } };
    expect(await prepareReadModelTables(db, gap)).toEqual({ reset: true });
    expect(await rows()).toEqual([]);
  });
});
