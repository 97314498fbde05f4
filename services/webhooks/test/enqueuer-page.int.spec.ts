import { eventTypesIn, randomHistories, tree } from '@lapor/complaint-histories';
import type { EventEnvelope } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintState } from '@lapor/domain';
import { openServerStores, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import { createTestDatabase, interleavedLog, type TestDatabase } from '@lapor/testing';
import { randomBytes } from 'node:crypto';
import { createWebhookEnqueuer, enqueue } from '../src/enqueuer';
import { keptState } from '../src/outbox-page';
import { prepareWebhookTables } from '../src/tables';

// A page of events queued at once leaves the outbox as the same events queued one at a time would:
// the complaints' states and versions, the events stored, and the deliveries (held for a paused
// subscription, none before a subscription was created, to the millisecond), in the same order.
// The one-at-a-time side is the enqueuer as it was before it took pages, its subscriptions matched
// by SQL per event (`enqueue`, as replays still are), so the page's matching in memory answers to it.

const EARLY = '2024-01-01T00:00:00.000Z';
const id = (n: number): string => `0000000${n}-0000-4000-8000-000000000000`;
const NATIONAL_ALL = id(1);
const PAUSED_NTT = id(3);
const LATE_BATAM = id(5);
const DELETED = id(7);
const UNIT = id(8);

/**
 * The same subscriptions in every schema: [id, node, event types, status, created_at]. Subscriptions
 * are an instansi's or nasional's (a complaint concerns its door and its instansi); the unit's hears nothing.
 */
function subscriptions(lateBatamCreatedAt: string): [string, string, string[], string, string][] {
  return [
    [NATIONAL_ALL, 'nasional', ['*'], 'active', EARLY],
    [id(2), 'ntt', ['ComplaintDisposed', 'ComplaintReturned', 'FollowUpPosted'], 'active', EARLY],
    [PAUSED_NTT, 'ntt', ['*'], 'paused', EARLY],
    [id(4), 'nasional', ['ComplaintVerified', 'ComplaintCompleted', 'HandlingRated'], 'paused', EARLY],
    [LATE_BATAM, 'batam', ['*'], 'active', lateBatamCreatedAt],
    [id(6), 'batam', ['FollowUpPosted', 'ComplaintVerified'], 'paused', EARLY],
    [DELETED, 'ntt', ['*'], 'deleted', EARLY],
    [UNIT, 'pupr', ['*'], 'active', EARLY],
  ];
}

/** The enqueuer as it was: the stored state read, folded, written back, and the event queued by `enqueue`. */
async function enqueueAsBefore(tx: SqlQueryable, schema: string, envelope: EventEnvelope): Promise<void> {
  const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
  const [stored] =
    envelope.streamVersion === 0n
      ? []
      : await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaints WHERE complaint_id = $1`, [envelope.complaintId]);
  const before = stored?.state ?? complaintDecider.initialState();
  const after = complaintDecider.evolve(before, event);
  await tx.query(
    `INSERT INTO ${schema}.complaints (complaint_id, state, version) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state, version = excluded.version`,
    [envelope.complaintId, JSON.stringify(keptState(after)), envelope.streamVersion.toString()],
  );
  await enqueue(tx, schema, tree, { ...envelope, event, before, after }, { replayId: '', subscriptionId: null, sinceCreation: true });
}

/** Each table's rows as text; the deliveries in id order, without what is generated or the span that queued them. */
async function tablesOf(db: SqlQueryable, schema: string): Promise<Record<string, string[]>> {
  const sorted = async (table: string) => (await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${table} t`)).map(({ row }) => row).sort();
  const deliveries = await db.query<{ row: string }>(
    `SELECT (to_jsonb(d) - 'id' - 'created_at' - 'traceparent')::text AS row FROM ${schema}.deliveries d ORDER BY d.id`,
  );
  return {
    subscriptions: await sorted('subscriptions'),
    complaints: await sorted('complaints'),
    events: await sorted('events'),
    deliveries: deliveries.map(({ row }) => row),
    attempts: await sorted('attempts'),
    replays: await sorted('replays'),
  };
}

/** The transaction, counting the statements sent through it. */
function counting(tx: SqlQueryable, count: { statements: number }): SqlQueryable {
  return {
    query: (sql, params) => {
      count.statements++;
      return tx.query(sql, params);
    },
    exec: (sql) => tx.exec(sql),
  };
}

describe('the webhook outbox queued a page at a time', () => {
  let database: TestDatabase;
  let stores: Stores;
  let db: SqlRunner;

  beforeAll(async () => {
    database = await createTestDatabase('webhooks_page');
    stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)), poolSize: 2 });
    db = stores.db;
  });
  afterAll(async () => {
    await stores.close();
    await database.drop();
  });

  it.each([20_251_205, 20_251_206])(
    'given random histories taking turns in the log (seed %i), when queued in pages of 25, event by event, and as before, then every table holds the same rows',
    async (seed) => {
      const histories = randomHistories(60, seed);
      // complaints handed down, returned to nasional (leaving their instansi) and followed up, not only submitted
      expect(eventTypesIn(histories)).toMatchObject({
        ComplaintDisposed: expect.any(Number),
        ComplaintReturned: expect.any(Number),
        FollowUpPosted: expect.any(Number),
      });
      // recorded when they happened (interleavedLog records them all now), so a subscription can come in between
      const log = interleavedLog(histories).map((event) => ({ ...event, recordedAt: (event.data as { at: string }).at }));
      const batam = new Set(
        histories.flatMap(([first]) => (first?.type === 'ComplaintSubmitted' && first.data.addressedTo.id === 'batam' ? [first.data.complaintId] : [])),
      );
      const batamEvents = log.filter((event) => batam.has(event.complaintId));
      // half of batam's events come before its late subscription, made within the millisecond one of
      // them was recorded in: that one it hears, as created_at is compared to the millisecond
      const lateAt = batamEvents[Math.floor(batamEvents.length / 2)]!.recordedAt;
      const lateCreatedAt = `${lateAt.slice(0, -1)}400Z`;

      const schemas = [`as_before_${seed}`, `by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) {
        await prepareWebhookTables(db, schema);
        for (const [subscription, node, types, status, createdAt] of subscriptions(lateCreatedAt)) {
          await db.query(
            `INSERT INTO ${schema}.subscriptions (id, node_id, url, event_types, secret, status, created_by, created_at)
             VALUES ($1, $2, 'https://example.go.id/hook', $3::text[], 'whsec_test', $4, 'staff:test', $5)`,
            [subscription, node, types, status, createdAt],
          );
        }
      }
      const byEvent = createWebhookEnqueuer({ tree: () => tree, schema: schemas[1] });
      const byPage = createWebhookEnqueuer({ tree: () => tree, schema: schemas[2] });

      for (const event of log) await db.transaction((tx) => enqueueAsBefore(tx, schemas[0], event));
      for (const event of log) await db.transaction((tx) => byEvent.handle(event, tx));
      const statements: number[] = [];
      for (let start = 0; start < log.length; start += 25) {
        const count = { statements: 0 };
        await db.transaction((tx) => byPage.handlePage!(log.slice(start, start + 25), counting(tx, count)));
        statements.push(count.statements);
      }

      const before = await tablesOf(db, schemas[0]);
      const statuses = before.deliveries!.map((row) => JSON.parse(row) as { status: string; subscription_id: string });
      expect(before.complaints).toHaveLength(60);
      expect(statuses.filter(({ status }) => status === 'pending').length).toBeGreaterThan(0);
      expect(statuses.filter(({ status }) => status === 'held').length).toBeGreaterThan(0);
      expect(statuses.filter(({ subscription_id }) => subscription_id === PAUSED_NTT).every(({ status }) => status === 'held')).toBe(true);
      expect(statuses.filter(({ subscription_id }) => subscription_id === DELETED || subscription_id === UNIT)).toEqual([]);
      // batam's late subscription hears some of its complaints' events, the nasional one all of them
      const late = statuses.filter(({ subscription_id }) => subscription_id === LATE_BATAM).length;
      expect(late).toBeGreaterThan(0);
      const [{ n: batamToNational }] = (await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schemas[0]}.deliveries WHERE subscription_id = $1 AND complaint_id = ANY($2::text[])`,
        [NATIONAL_ALL, [...batam]],
      )) as [{ n: number }];
      expect(late).toBeLessThan(batamToNational);
      const [{ n: atCreation }] = (await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schemas[0]}.deliveries d JOIN ${schemas[0]}.events e USING (event_id) WHERE d.subscription_id = $1 AND e.occurred_at = $2`,
        [LATE_BATAM, lateAt],
      )) as [{ n: number }];
      expect(atCreation).toBeGreaterThan(0);

      expect(await tablesOf(db, schemas[1])).toEqual(before);
      expect(await tablesOf(db, schemas[2])).toEqual(before);
      expect(Math.max(...statements)).toBeLessThanOrEqual(6);
    },
  );
});
