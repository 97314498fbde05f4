import { compareLogPositions, createPostgresEventStore, LOG_START, type EventStore, type LogPosition } from '@lapor/event-store';
import { createPgRunner, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, OtlpReceiver, type TestDatabase } from '@lapor/testing';
import { inSpan, SpanKind, startTracing, traceparentNow, type Tracing } from '@lapor/tracing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { followEventLog, prepareAppliedPositions, type EventEnvelope, type EventHandler } from '../src';

// A read side fed from the log in this process (the embedded mode) applies a page of events under
// one span, not one an event: what it causes for an event (an SMS or a webhook queued, which keeps
// the active traceparent) must still join the trace of the request that appended that event.

const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

describe('the trace of a page applied from the log', () => {
  const receiver = new OtlpReceiver();
  let tracing: Tracing;
  let database: TestDatabase;
  let pool: Pool;
  let db: SqlRunner;
  let store: EventStore;
  // what the handler saw as the active traceparent for each complaint: what an outbox row would keep
  let queuedUnder: Map<string, string | undefined>;
  const handler: EventHandler = {
    name: 'outbox-like',
    async handle(event: EventEnvelope, tx: SqlQueryable) {
      await tx.query('SELECT 1');
      queuedUnder.set(event.complaintId, traceparentNow());
    },
  };

  /** Appends in a request span of its own, as a route does; answers the request's trace id. */
  const appendInRequest = async (stream: string, types: string[]): Promise<string> =>
    inSpan('POST /complaints', SpanKind.SERVER, {}, async (span) => {
      await store.appendToStream(
        stream,
        types.map((type) => ({ id: randomUUID(), type, data: {}, metadata: { schemaVersion: 1 } })),
      );
      return span!.spanContext().traceId;
    });
  const logEnd = async (): Promise<LogPosition> => {
    let position = LOG_START;
    for (;;) {
      const page = await store.readGlobalLog(position, 1_000);
      if (page.events.length === 0) return position;
      position = page.events.at(-1)!.logPosition;
    }
  };
  /** Starts following only now, from where the log was: every event appended since is in its first page. */
  const followFrom = async (from: LogPosition): Promise<void> => {
    const end = await logEnd();
    let reached = false;
    const following = followEventLog(store, db, handler, {
      from,
      onError: (error) => fail(error),
      onPosition: (at) => (reached ||= compareLogPositions(at, end) >= 0),
    });
    while (!reached) await new Promise((resolve) => setTimeout(resolve, 50));
    await following.close();
  };

  beforeAll(async () => {
    tracing = startTracing('follower', await receiver.listen());
    database = await createTestDatabase('follower_traces');
    pool = new Pool({ connectionString: database.url, max: 4 });
    db = createPgRunner(pool, { ownsPool: false });
    store = await createPostgresEventStore({ pool });
    await prepareAppliedPositions(db);
  });
  beforeEach(() => (queuedUnder = new Map()));
  afterAll(async () => {
    await tracing?.shutdown();
    await receiver.close();
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('given three requests’ events in one page, when the read side applies it, then one apply span links the three appends, and what each event queued is in its own request’s trace', async () => {
    const from = await logEnd();
    const complaints = [randomUUID(), randomUUID(), randomUUID()];
    const requestTraces = [];
    for (const complaint of complaints) requestTraces.push(await appendInRequest(`complaint-${complaint}`, ['ComplaintSubmitted']));

    await followFrom(from);

    expect(complaints.map((complaint) => traceIdOf(queuedUnder.get(complaint)))).toEqual(requestTraces);
    const page = await receiver.waitFor('the page’s apply', (s) => s.name === 'apply outbox-like' && s.attributes['lapor.event_count'] === 3);
    expect(page.parentSpanId).toBe('');
    expect(page.links.map((link) => link.traceId).sort()).toEqual([...requestTraces].sort());
  });

  it('given a page holding one request’s events, when the read side applies it, then the apply span is a child of that append and what the events queued is under the apply', async () => {
    const from = await logEnd();
    const complaint = randomUUID();
    const requestTrace = await appendInRequest(`complaint-${complaint}`, ['ComplaintSubmitted', 'ComplaintVerified']);

    await followFrom(from);

    const append = await receiver.waitFor('the append', (s) => s.name === 'event-store append' && s.traceId === requestTrace);
    const apply = await receiver.waitFor('the apply', (s) => s.name === 'apply outbox-like' && s.traceId === requestTrace);
    expect(apply.parentSpanId).toBe(append.spanId);
    expect(apply.attributes['lapor.event_count']).toBe(2);
    expect(queuedUnder.get(complaint)?.split('-')[2]).toBe(apply.spanId);
  });
});
