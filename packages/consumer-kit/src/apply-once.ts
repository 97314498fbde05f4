import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import type { LogPosition } from '@lapor/event-store';
import type { EventEnvelope } from './envelope';

/** A read side: what it does with one event, inside the transaction that also records it as applied. */
export interface EventHandler {
  /** Names the read side; its applied positions are its own. */
  readonly name: string;
  handle(event: EventEnvelope, tx: SqlQueryable): Promise<void>;
  /**
   * The events of a page that are new to this read side, in log order, at once: for a read side
   * that writes a page with a few statements rather than a few per event. Without it, `handle`
   * runs for each of them. `inEventTrace` (absent outside a feed: the caller's own trace) runs a
   * part of the work in one event's trace.
   */
  handlePage?(events: readonly EventEnvelope[], tx: SqlQueryable, inEventTrace?: InEventTrace): Promise<void>;
}

/**
 * Runs `work` in the trace the page's `index`-th event would be applied in alone: what a page
 * write queues for one event (a webhook, an SMS) takes that event's traceparent, so its delivery
 * joins the trace of the request that caused it, not the page's.
 */
export type InEventTrace = <T>(index: number, work: () => T | Promise<T>) => Promise<T>;

const SCHEMA = 'consumers';

export async function prepareAppliedPositions(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    SCHEMA,
    `
      -- per read side and complaint: the last stream version applied
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.applied (
        consumer text NOT NULL,
        complaint_id text NOT NULL,
        stream_version bigint NOT NULL,
        PRIMARY KEY (consumer, complaint_id)
      );
      -- what stream_version held before a page last moved it (null: the page inserted the row), so the
      -- page's one upsert tells what was applied before it. Added only when missing: ALTER TABLE locks
      -- the table even when it has nothing to do, and every process runs this at start (the catalogue,
      -- not information_schema, whose views took 11 ms to plan).
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${SCHEMA}.applied'::regclass AND attname = 'previous_version' AND NOT attisdropped) THEN
          ALTER TABLE ${SCHEMA}.applied ADD COLUMN previous_version bigint;
        END IF;
      END $$;
      -- complaints whose events are held back: one of them is in the dead-letter topic, and a
      -- complaint's events apply in order or not at all
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.parked (
        consumer text NOT NULL,
        complaint_id text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, complaint_id)
      );
      -- per read side fed straight from the event log: the last log position it applied, so a
      -- restart reads on from there instead of skipping through the whole log again
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.followed (
        consumer text PRIMARY KEY,
        transaction_id bigint NOT NULL,
        position bigint NOT NULL
      );`,
  );
}

/**
 * Applies the event unless this read side already has it: the handler's writes and the applied
 * version commit together, so a redelivered event (after a crash between the database commit and
 * the offset commit, or a relay that sent a batch twice) changes nothing. A complaint's events
 * arrive in order (one key, one partition), so "at or below the applied version" means "seen".
 */
export async function applyOnce(db: SqlRunner, handler: EventHandler, event: EventEnvelope): Promise<'applied' | 'skipped'> {
  return db.transaction((tx) => applyOnceIn(tx, handler, event));
}

/** applyOnce inside the caller's transaction (which may record more with it, as the log follower does). */
export async function applyOnceIn(tx: SqlQueryable, handler: EventHandler, event: EventEnvelope): Promise<'applied' | 'skipped'> {
  const [row] = await tx.query<{ stream_version: string | number }>(
    `SELECT stream_version FROM ${SCHEMA}.applied WHERE consumer = $1 AND complaint_id = $2 FOR UPDATE`,
    [handler.name, event.complaintId],
  );
  if (row && BigInt(row.stream_version) >= event.streamVersion) return 'skipped';
  await handler.handle(event, tx);
  await tx.query(
    `INSERT INTO ${SCHEMA}.applied (consumer, complaint_id, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (consumer, complaint_id) DO UPDATE SET stream_version = excluded.stream_version`,
    [handler.name, event.complaintId, event.streamVersion.toString()],
  );
  return 'applied';
}

/**
 * True for the first event of a complaint's stream. A read side applying it has stored nothing of
 * the complaint yet: its tables and its applied versions commit together and are dropped together,
 * and an applied first event is never applied again. So its handler need not look for what it
 * stored before (most of a submission's reads found nothing).
 */
export const isFirstEventOfComplaint = (event: EventEnvelope): boolean => event.streamVersion === 0n;

/**
 * The complaints of a page whose first event there is not their first: the only ones a read side may
 * have stored anything of before the page (isFirstEventOfComplaint), in the order they first appear.
 */
export function complaintsStoredBefore(events: readonly EventEnvelope[]): string[] {
  const firstInPage = new Map<string, EventEnvelope>();
  for (const event of events) if (!firstInPage.has(event.complaintId)) firstInPage.set(event.complaintId, event);
  return [...firstInPage.values()].filter((event) => !isFirstEventOfComplaint(event)).map((event) => event.complaintId);
}

/** How one event of a page is applied: `apply` runs the handler; the caller may wrap it (in a span). */
export type ApplyEach = (event: EventEnvelope, index: number, apply: () => Promise<void>) => Promise<void>;

/**
 * applyOnceIn for a page of events in log order, inside the caller's transaction: one statement
 * moves the read side's applied versions of the page's complaints to the versions the page takes
 * them to (locking them) and returns what each held before, before the handler runs, where applyOnceIn takes two round trips
 * per event (those were a third of a read side's statements, and at a steady rate most pages hold
 * one event). The handler's writes and the versions commit or roll back together, so writing the
 * versions first changes nothing a reader can see. An event at or below the version applied, before
 * the page or earlier in it, is skipped, as applyOnceIn skips it. The rows are locked in complaint
 * order, so two appliers of one read side (two processes following the log) wait, never deadlock.
 */
export async function applyPageIn(
  tx: SqlQueryable,
  handler: EventHandler,
  events: readonly EventEnvelope[],
  each: ApplyEach = (_event, _index, apply) => apply(),
  options: {
    /** A log follower's position after the page, recorded by the same statement as the versions. */
    readonly followed?: LogPosition;
    /**
     * Throw ParkedComplaintsError, before the handler runs, when a complaint of the page is parked for
     * this read side (the Kafka feed: their events go to the dead-letter topic instead); the same
     * statement looks, not one of its own.
     */
    readonly refuseParked?: boolean;
  } = {},
): Promise<Array<'applied' | 'skipped'>> {
  if (events.length === 0) return [];
  const applied = await takeAppliedVersions(tx, handler.name, events, options);
  const outcomes: Array<'applied' | 'skipped'> = [];
  const fresh: { event: EventEnvelope; index: number }[] = [];
  for (const [index, event] of events.entries()) {
    const seen = applied.get(event.complaintId);
    if (seen !== undefined && seen >= event.streamVersion) {
      outcomes.push('skipped');
      continue;
    }
    applied.set(event.complaintId, event.streamVersion);
    outcomes.push('applied');
    fresh.push({ event, index });
  }
  const { handlePage } = handler;
  const last = fresh.at(-1);
  if (handlePage && last) {
    // one piece of work for the page: its span (if the caller makes one) is the last event's
    const page = fresh.map(({ event }) => event);
    const inEventTrace: InEventTrace = async (index, work) => {
      const { event, index: inLog } = fresh[index]!;
      let result: Awaited<ReturnType<typeof work>> | undefined;
      await each(event, inLog, async () => {
        result = await work();
      });
      return result as Awaited<ReturnType<typeof work>>;
    };
    await each(last.event, last.index, () => handlePage.call(handler, page, tx, inEventTrace));
  } else {
    for (const { event, index } of fresh) await each(event, index, () => handler.handle(event, tx));
  }
  return outcomes;
}

/**
 * The one statement a page's applied versions cost ($1 the read side, $2 the page's complaint ids,
 * sorted, $3 the highest version the page holds of each, then a follower's position as $4 and $5):
 * an upsert by the whole key that moves each version on (never back) and returns the version it
 * held before, which it keeps in `previous_version` as it moves it. The rows are locked as they are
 * upserted, in the order of $2: two appliers of one read side wait for each other and never
 * deadlock, and the later one reads the version the earlier committed. A lookup by key has the one
 * plan whatever the statistics say, where the locking read it replaced (`complaint_id = ANY($2)`
 * before the upsert) kept a plan made while the table was nearly empty: it read every complaint the
 * read side had ever applied on each page until the next ANALYZE (never, without autovacuum), most
 * of PostgreSQL's time in the intake bench.
 */
export function appliedVersionsStatement({
  followed = false,
  refuseParked = false,
}: { readonly followed?: boolean; readonly refuseParked?: boolean } = {}): string {
  const position = followed
    ? `, position AS (
         INSERT INTO ${SCHEMA}.followed (consumer, transaction_id, position) VALUES ($1, $4, $5)
         ON CONFLICT (consumer) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position)`
    : '';
  const parked = refuseParked
    ? `
     UNION ALL SELECT complaint_id, NULL, true FROM ${SCHEMA}.parked WHERE consumer = $1 AND complaint_id = ANY($2::text[])`
    : '';
  return `WITH taken AS (
       INSERT INTO ${SCHEMA}.applied AS applied (consumer, complaint_id, stream_version)
       SELECT $1, complaint_id, stream_version FROM unnest($2::text[], $3::bigint[]) AS page(complaint_id, stream_version)
       ON CONFLICT (consumer, complaint_id) DO UPDATE
         SET stream_version = greatest(applied.stream_version, excluded.stream_version), previous_version = applied.stream_version
       RETURNING complaint_id, previous_version
     )${position}
     SELECT complaint_id, previous_version AS stream_version, false AS parked FROM taken WHERE previous_version IS NOT NULL${parked}`;
}

/** The versions the read side had applied of the page's complaints, as the page moves them on (appliedVersionsStatement). */
async function takeAppliedVersions(
  tx: SqlQueryable,
  consumer: string,
  events: readonly EventEnvelope[],
  { followed, refuseParked = false }: { readonly followed?: LogPosition; readonly refuseParked?: boolean },
): Promise<Map<string, bigint>> {
  const highest = new Map<string, bigint>();
  for (const event of events) {
    const known = highest.get(event.complaintId);
    if (known === undefined || event.streamVersion > known) highest.set(event.complaintId, event.streamVersion);
  }
  const complaintIds = [...highest.keys()].sort();
  const rows = await tx.query<{ complaint_id: string; stream_version: string | number | null; parked: boolean }>(
    appliedVersionsStatement({ followed: followed !== undefined, refuseParked }),
    [
      consumer,
      complaintIds,
      complaintIds.map((id) => highest.get(id)!.toString()),
      ...(followed ? [followed.transactionId.toString(), followed.position.toString()] : []),
    ],
  );
  const parkedIds = rows.filter((row) => row.parked).map((row) => row.complaint_id);
  // the versions it moved are rolled back with the caller's transaction, which this ends
  if (parkedIds.length > 0) throw new ParkedComplaintsError(consumer, parkedIds);
  return new Map(rows.filter((row) => !row.parked).map((row) => [row.complaint_id, BigInt(row.stream_version!)]));
}

/** A page held complaints parked for the read side (see applyPageIn's refuseParked). */
export class ParkedComplaintsError extends Error {
  constructor(
    readonly consumer: string,
    readonly complaintIds: readonly string[],
  ) {
    super(`${consumer}: complaints parked (their events go to the dead-letter topic): ${complaintIds.join(', ')}`);
    this.name = 'ParkedComplaintsError';
  }
}

/** The last version of the complaint's stream the read side has applied (undefined: none yet). */
export async function appliedVersion(db: SqlQueryable, consumer: string, complaintId: string): Promise<bigint | undefined> {
  const [row] = await db.query<{ stream_version: string | number }>(`SELECT stream_version FROM ${SCHEMA}.applied WHERE consumer = $1 AND complaint_id = $2`, [
    consumer,
    complaintId,
  ]);
  return row ? BigInt(row.stream_version) : undefined;
}

/** Where the read side fed from the event log stopped, or undefined if it never applied anything. */
export async function followedPosition(db: SqlQueryable, consumer: string): Promise<LogPosition | undefined> {
  const [row] = await db.query<{ transaction_id: string | number; position: string | number }>(
    `SELECT transaction_id, position FROM ${SCHEMA}.followed WHERE consumer = $1`,
    [consumer],
  );
  return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : undefined;
}

export async function recordFollowedPosition(tx: SqlQueryable, consumer: string, at: LogPosition): Promise<void> {
  await tx.query(
    `INSERT INTO ${SCHEMA}.followed (consumer, transaction_id, position) VALUES ($1, $2, $3)
     ON CONFLICT (consumer) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position`,
    [consumer, at.transactionId.toString(), at.position.toString()],
  );
}

/**
 * Makes the read side start over: what it applied and where it followed the log are forgotten, so
 * whatever feeds it next sends everything again (its tables were dropped or are being rebuilt).
 */
export async function forgetConsumer(tx: SqlQueryable, consumer: string): Promise<void> {
  const [row] = await tx.query<{ present: boolean }>(`SELECT to_regclass('${SCHEMA}.applied') IS NOT NULL AS present`);
  if (!row?.present) return;
  await tx.query(`DELETE FROM ${SCHEMA}.applied WHERE consumer = $1`, [consumer]);
  const [followed] = await tx.query<{ present: boolean }>(`SELECT to_regclass('${SCHEMA}.followed') IS NOT NULL AS present`);
  if (followed?.present) await tx.query(`DELETE FROM ${SCHEMA}.followed WHERE consumer = $1`, [consumer]);
}

export async function isParked(db: SqlQueryable, consumer: string, complaintId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM ${SCHEMA}.parked WHERE consumer = $1 AND complaint_id = $2`, [consumer, complaintId])).length > 0;
}

export async function park(db: SqlQueryable, consumer: string, complaintId: string): Promise<void> {
  await db.query(`INSERT INTO ${SCHEMA}.parked (consumer, complaint_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [consumer, complaintId]);
}

/** Lets the read side take the complaints' events again (before their dead letters are replayed). */
export async function unparkAll(db: SqlQueryable, consumer: string): Promise<number> {
  return (await db.query(`DELETE FROM ${SCHEMA}.parked WHERE consumer = $1 RETURNING complaint_id`, [consumer])).length;
}
