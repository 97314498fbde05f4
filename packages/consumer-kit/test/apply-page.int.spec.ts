import { createPgRunner, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Client, Pool } from 'pg';
import { appliedVersion, prepareAppliedPositions, type EventEnvelope, type EventHandler } from '../src';
import { appliedVersionsStatement, applyPageIn, followedPosition, park, ParkedComplaintsError } from '../src/apply-once';

// A page of events applied in one transaction reads and writes the read side's applied versions
// once for the page, not once per event, and still applies each event exactly once, in order.

const event = (complaintId: string, streamVersion: number): EventEnvelope => ({
  eventId: `${complaintId}-${streamVersion}`,
  type: 'ComplaintSubmitted',
  schemaVersion: 1,
  complaintId,
  streamVersion: BigInt(streamVersion),
  globalPosition: BigInt(streamVersion),
  recordedAt: '2025-03-03T02:00:00Z',
  data: {},
});

interface PlanNode {
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows': number;
  readonly 'Actual Loops': number;
  readonly 'Rows Removed by Filter'?: number;
  readonly 'Rows Removed by Index Recheck'?: number;
  readonly Plans?: readonly PlanNode[];
}

/** Rows the plan's scans of `table` returned or read and threw away, over all their loops. */
function rowsRead(node: PlanNode, table: string): number {
  const own =
    node['Relation Name'] === table
      ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops']
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, table), 0);
}

/** The transaction, counting the statements sent through it. */
function counting(tx: SqlQueryable): { tx: SqlQueryable; statements: () => number } {
  let statements = 0;
  return {
    tx: {
      query: (sql, params) => {
        statements++;
        return tx.query(sql, params);
      },
      exec: (sql) => {
        statements++;
        return tx.exec(sql);
      },
    } as SqlQueryable,
    statements: () => statements,
  };
}

describe('applying a page of events', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let handled: string[];
  let failOn: string | undefined;
  let consumer = 0;
  let handler: EventHandler;

  beforeAll(async () => {
    database = await createTestDatabase('apply_page');
    pool = new Pool({ connectionString: database.url, max: 4 });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
  });
  beforeEach(() => {
    handled = [];
    failOn = undefined;
    // a read side of its own per test: nothing applied yet
    handler = {
      name: `page-${++consumer}`,
      async handle(applying, tx) {
        await tx.query('SELECT 1');
        const label = `${applying.complaintId}@${applying.streamVersion}`;
        if (label === failOn) throw new Error(`cannot apply ${label}`);
        handled.push(label);
      },
    };
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given a page of five events of three complaints, when applied, then each is handled once in log order and the applied versions cost one statement for the whole page', async () => {
    const page = [event('a', 0), event('b', 0), event('a', 1), event('c', 0), event('b', 1)];
    let statements = 0;
    const outcomes = await db.transaction(async (tx) => {
      const counted = counting(tx);
      const result = await applyPageIn(counted.tx, handler, page);
      statements = counted.statements();
      return result;
    });
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(handled).toEqual(['a@0', 'b@0', 'a@1', 'c@0', 'b@1']);
    // the handler's own five, and one that reads and writes the applied versions
    expect(statements).toBe(5 + 1);
    expect(await appliedVersion(db, handler.name, 'a')).toBe(1n);
    expect(await appliedVersion(db, handler.name, 'b')).toBe(1n);
    expect(await appliedVersion(db, handler.name, 'c')).toBe(0n);
  });

  it('given a page of a log follower, when applied with the position it reached, then the versions and the position are recorded by one statement', async () => {
    const reached = { transactionId: 812n, position: 40n };
    let statements = 0;
    await db.transaction(async (tx) => {
      const counted = counting(tx);
      await applyPageIn(counted.tx, handler, [event('a', 0), event('b', 0)], undefined, { followed: reached });
      statements = counted.statements();
    });
    expect(statements).toBe(2 + 1);
    expect(await followedPosition(db, handler.name)).toEqual(reached);
    expect(await appliedVersion(db, handler.name, 'b')).toBe(0n);
  });

  it('given a page of events all applied before, when a follower applies it again, then nothing is handled and its position still moves on', async () => {
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0)]));
    handled = [];
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0)], undefined, { followed: { transactionId: 900n, position: 41n } }));
    expect(handled).toEqual([]);
    expect(await followedPosition(db, handler.name)).toEqual({ transactionId: 900n, position: 41n });
  });

  it('given a page applied before, when it arrives again with one new event among the old (a redelivery), then only the new event is handled', async () => {
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0), event('a', 1), event('b', 0)]));
    handled = [];
    const outcomes = await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 1), event('b', 0), event('a', 2)]));
    expect(outcomes).toEqual(['skipped', 'skipped', 'applied']);
    expect(handled).toEqual(['a@2']);
    expect(await appliedVersion(db, handler.name, 'a')).toBe(2n);
  });

  it('given a read side that writes a page at once, when a page holds old events among new ones, then it is handed the new ones once, in log order, in one call', async () => {
    const pages: string[][] = [];
    const paged: EventHandler = {
      ...handler,
      async handlePage(applying, tx) {
        await tx.query('SELECT 1');
        pages.push(applying.map((one) => `${one.complaintId}@${one.streamVersion}`));
      },
    };
    await db.transaction((tx) => applyPageIn(tx, paged, [event('a', 0), event('b', 0)]));
    const outcomes = await db.transaction((tx) => applyPageIn(tx, paged, [event('a', 0), event('a', 1), event('b', 0), event('c', 0), event('b', 1)]));
    expect(outcomes).toEqual(['skipped', 'applied', 'skipped', 'applied', 'applied']);
    expect(pages).toEqual([
      ['a@0', 'b@0'],
      ['a@1', 'c@0', 'b@1'],
    ]);
    expect(handled).toEqual([]); // never one by one
    await db.transaction((tx) => applyPageIn(tx, paged, [event('a', 1)]));
    expect(pages).toHaveLength(2); // nothing new: not called at all
    expect(await appliedVersion(db, handler.name, 'b')).toBe(1n);
  });

  it('given a page whose third event fails, when the transaction rolls back and the page is applied again, then every event is handled in the retry and none is recorded twice', async () => {
    failOn = 'b@0';
    const page = [event('a', 0), event('a', 1), event('b', 0)];
    await expect(db.transaction((tx) => applyPageIn(tx, handler, page))).rejects.toThrow('cannot apply b@0');
    expect(await appliedVersion(db, handler.name, 'a')).toBeUndefined();
    failOn = undefined;
    handled = [];
    await db.transaction((tx) => applyPageIn(tx, handler, page));
    expect(handled).toEqual(['a@0', 'a@1', 'b@0']);
  });

  it('given a complaint parked for the read side, when a page holding it is applied refusing parked ones, then it throws before any event is handled, nothing is recorded, and the parked lookup costs no statement of its own', async () => {
    await park(db, handler.name, 'b');
    const page = [event('a', 0), event('b', 0), event('c', 0)];
    let statements = 0;
    const refused = db.transaction(async (tx) => {
      const counted = counting(tx);
      try {
        await applyPageIn(counted.tx, handler, page, undefined, { refuseParked: true });
      } finally {
        statements = counted.statements();
      }
    });
    await expect(refused).rejects.toThrow(ParkedComplaintsError);
    await expect(refused).rejects.toMatchObject({ complaintIds: ['b'] });
    expect(statements).toBe(1);
    expect(handled).toEqual([]);
    expect(await appliedVersion(db, handler.name, 'a')).toBeUndefined();
    // without refusing, or with none of the page parked, the page applies
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0), event('c', 0)], undefined, { refuseParked: true }));
    expect(handled).toEqual(['a@0', 'c@0']);
  });

  it('given two appliers of one read side taking the same complaints in opposite orders at once, when both apply their page, then neither deadlocks and each event is handled once', async () => {
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0), event('b', 0)]));
    handled = [];
    const pages = [
      [event('a', 1), event('b', 1)],
      [event('b', 1), event('a', 1)],
    ];
    // each holds its transaction open a moment after its first handled event, so the two overlap
    const slow: EventHandler = {
      name: handler.name,
      async handle(applying, tx) {
        await handler.handle(applying, tx);
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
    };
    const outcomes = await Promise.all(pages.map((page) => db.transaction((tx) => applyPageIn(tx, slow, page))));
    expect(handled.sort()).toEqual(['a@1', 'b@1']);
    expect(outcomes.flat().filter((outcome) => outcome === 'applied')).toHaveLength(2);
  });
});

describe('the applied versions of a page on a connection that has served since the table was new', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase('applied_plan');
    const pool = new Pool({ connectionString: database.url, max: 1 });
    await prepareAppliedPositions(createPgRunner(pool, { ownsPool: false }));
    await pool.end();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('given the plan the server keeps after the first pages of a read side on a near-empty table, when it has since applied 20,000 complaints and a page of 60 arrives, then PostgreSQL reads those 60 rows and no others', async () => {
    // A pooled connection runs the statement prepared; after five calls the server keeps one plan for
    // it, made for the table as it was then, until the table is next analysed (never, on a server
    // without autovacuum). Seven read sides, three complaints each, when the plan was made:
    await client.query(
      `INSERT INTO consumers.applied SELECT 'side-' || s, 'c-' || lpad(n::text, 6, '0'), 0 FROM generate_series(1, 7) AS s, generate_series(1, 3) AS n`,
    );
    await client.query(`PREPARE taken (text, text[], bigint[]) AS ${appliedVersionsStatement()}`);
    for (let call = 0; call < 7; call++) await client.query(`EXECUTE taken ('side-3', '{c-000001}', '{${call}}')`);
    await client.query(`INSERT INTO consumers.applied SELECT 'side-3', 'c-' || lpad(n::text, 6, '0'), 0 FROM generate_series(4, 20000) AS n`);
    const page = Array.from({ length: 60 }, (_, index) => `c-${String(1 + index * 331).padStart(6, '0')}`).sort();

    // EXECUTE takes no bound parameters: the page goes in as literals (ids of our own making)
    const versions = page.map(() => 1).join(',');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE taken ('side-3', '{${page.join(',')}}', '{${versions}}')`,
    );

    expect(rowsRead(rows[0]!['QUERY PLAN'][0].Plan, 'applied')).toBe(page.length);
  });
});

describe('applied versions kept before the previous version was', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('applied_upgrade');
    pool = new Pool({ connectionString: database.url, max: 2 });
    db = createPgRunner(pool, { ownsPool: false });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('given the table as an earlier release made it, with a complaint applied to version 1, when a process starts and a page redelivers versions 0 to 2, then only version 2 is handled', async () => {
    await db.exec(`CREATE SCHEMA consumers;
      CREATE TABLE consumers.applied (consumer text NOT NULL, complaint_id text NOT NULL, stream_version bigint NOT NULL, PRIMARY KEY (consumer, complaint_id));
      INSERT INTO consumers.applied VALUES ('older', 'a', 1);`);

    await prepareAppliedPositions(db);
    await prepareAppliedPositions(db); // a second process finds nothing to do
    const handled: string[] = [];
    const handler: EventHandler = {
      name: 'older',
      handle: async (applying) => {
        handled.push(`${applying.complaintId}@${applying.streamVersion}`);
      },
    };
    await db.transaction((tx) => applyPageIn(tx, handler, [event('a', 0), event('a', 1), event('a', 2)]));

    expect(handled).toEqual(['a@2']);
    expect(await appliedVersion(db, 'older', 'a')).toBe(2n);
  });
});
