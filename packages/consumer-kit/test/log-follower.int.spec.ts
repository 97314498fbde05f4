import { compareLogPositions, createPostgresEventStore, LOG_START, type EventStore, type LogPosition } from '@lapor/event-store';
import { createPgRunner, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { followEventLog, forgetConsumer, prepareAppliedPositions, type EventEnvelope, type EventHandler } from '../src';

// A read side fed from the event log remembers where it stopped: a restart of a process holding a
// national log reads on from there instead of skipping through millions of applied events.

async function until(predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('following the event log', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;
  let handled: string[];
  const handler: EventHandler = {
    name: 'remembering',
    async handle(event: EventEnvelope, tx: SqlQueryable) {
      await tx.query('SELECT 1');
      handled.push(`${event.complaintId}@${event.streamVersion}`);
    },
  };

  const appendComplaints = async (count: number): Promise<void> => {
    for (let c = 0; c < count; c++) {
      const stream = `complaint-${randomUUID()}`;
      for (const type of ['ComplaintSubmitted', 'ComplaintVerified']) {
        await store.appendToStream(stream, [{ id: randomUUID(), type, data: {}, metadata: { schemaVersion: 1 } }]);
      }
    }
  };
  const logEnd = async (): Promise<LogPosition> => {
    let position = LOG_START;
    for (;;) {
      const page = await store.readGlobalLog(position, 1_000);
      if (page.events.length === 0) return position;
      position = page.events.at(-1)!.logPosition;
    }
  };
  /** Follows until the log's end is applied; answers where the follower said it started. */
  const followToEnd = async (): Promise<{ startedAt: LogPosition; handledNow: number }> => {
    const before = handled.length;
    const positions: LogPosition[] = [];
    const end = await logEnd();
    const following = followEventLog(store, db, handler, { onError: (error) => fail(error), onPosition: (at) => positions.push(at) });
    await until(() => positions.length > 0 && compareLogPositions(positions.at(-1)!, end) >= 0, 'the end of the log');
    await following.close();
    return { startedAt: positions[0]!, handledNow: handled.length - before };
  };

  beforeAll(async () => {
    database = await createTestDatabase('follower');
    pool = new Pool({ connectionString: database.url, max: 4 });
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
  });
  beforeEach(() => (handled = []));
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given a follower that applied the log and stopped, when it starts again after more events, then it starts where it stopped and applies only the new ones', async () => {
    await appendComplaints(3);
    const first = await followToEnd();
    expect(first.startedAt).toEqual(LOG_START);
    expect(first.handledNow).toBe(6);
    const stoppedAt = await logEnd();

    await appendComplaints(2);
    const second = await followToEnd();

    expect(second.startedAt).toEqual(stoppedAt);
    expect(second.handledNow).toBe(4);
    expect(new Set(handled).size).toBe(10);
  });

  it('given a read side forgotten (its tables dropped for another shape), when its follower starts, then it applies the whole log again from the start', async () => {
    await followToEnd();
    const everything = (await store.readGlobalLog(LOG_START, 10_000)).events.length;

    await db.transaction((tx) => forgetConsumer(tx, handler.name));
    const again = await followToEnd();

    expect(again.startedAt).toEqual(LOG_START);
    expect(again.handledNow).toBe(everything);
  });
});
