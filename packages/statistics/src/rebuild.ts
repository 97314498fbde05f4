import type { Calendar } from '@lapor/calendar';
import {
  complaintDecider,
  complaintIdFromStream,
  readTrustedComplaintEvent,
  type Complaint,
  type ComplaintEvent,
  type ComplaintState,
  type OrganisationTree,
} from '@lapor/domain';
import { LOG_START, type EventStore, type GlobalLogEvent, type LogPosition } from '@lapor/event-store';
import { type SqlQueryable, type SqlRunner } from '@lapor/sql';
import {
  adminActionOf,
  breachOf,
  complaintFactsOf,
  hopFactsOf,
  recapFactsOf,
  sameRecapFacts,
  type AdminAction,
  type BreachFacts,
  type RecapFacts,
} from './facts';
import { monthOf, receivedOnOf } from './local-date';
import { bucketDelta, COMPLAINT_FACT_COLUMNS, complaintFactValues, createStatisticsProjection, type BucketDelta } from './projection';
import { PROJECTION_NAME, PROJECTION_SHAPE, SHADOW_SCHEMA, STATISTICS_SCHEMA, statisticsDdl, statisticsKeys } from './tables';

// Rebuilding the statistics from the event log without downtime: the log is folded in memory (one
// pass, no per-event round trips), the tables are bulk-loaded into a shadow schema, and one
// transaction catches up on what arrived meanwhile and swaps the shadow in. Readers see the old
// tables until that commit and the new ones after it; never a half-built table.

export interface RebuildProgress {
  readonly events: number;
  /** Events in the log when the rebuild started (for an ETA); more may arrive. */
  readonly expected: number;
  readonly phase: 'reading' | 'writing' | 'swapping';
}

export interface RebuildOptions {
  readonly store: EventStore;
  readonly db: SqlRunner;
  readonly tree: OrganisationTree;
  readonly calendar: Calendar;
  /** Events in the log, for the progress report's ETA. */
  readonly expectedEvents?: number;
  readonly pageSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  readonly events: number;
  readonly complaints: number;
  readonly rows: number;
  readonly caughtUp: number;
  readonly readMs: number;
  readonly writeMs: number;
  readonly swapMs: number;
}

interface Folded {
  state: ComplaintState;
  version: bigint;
  intervals: { from: string; facts: RecapFacts }[];
  actions: AdminAction[];
  breaches: BreachFacts[];
}

export async function rebuildStatistics(options: RebuildOptions): Promise<RebuildResult> {
  const { store, db, tree, calendar } = options;
  const pageSize = options.pageSize ?? 10_000;
  const expected = options.expectedEvents ?? 0;
  const started = Date.now();

  // 1. fold the whole log in memory; the next page is read while this one is folded
  const folded = new Map<string, Folded>();
  let position: LogPosition = LOG_START;
  let events = 0;
  let reading = store.readGlobalLog(position, pageSize);
  for (;;) {
    const page = await reading;
    const last = page.events.at(-1);
    if (last) position = last.logPosition;
    const more = page.events.length === pageSize;
    if (more) reading = store.readGlobalLog(position, pageSize);
    for (const recorded of page.events) foldInto(folded, recorded, tree, calendar);
    events += page.events.length;
    options.onProgress?.({ events, expected, phase: 'reading' });
    if (!more) break;
  }
  const read = Date.now();

  // 2. bulk-load the shadow tables, then give them their keys and indexes
  options.onProgress?.({ events, expected, phase: 'writing' });
  await db.exec(`DROP SCHEMA IF EXISTS ${SHADOW_SCHEMA} CASCADE; CREATE SCHEMA ${SHADOW_SCHEMA}; ${statisticsDdl(SHADOW_SCHEMA, false)}
    CREATE TABLE ${SHADOW_SCHEMA}.applied (complaint_id text NOT NULL, stream_version bigint NOT NULL);`);
  const rows = await writeShadow(db, folded, tree, calendar);
  await Promise.all(
    [...statisticsKeys(SHADOW_SCHEMA), `ALTER TABLE ${SHADOW_SCHEMA}.applied ADD PRIMARY KEY (complaint_id)`].map((statement) => db.exec(statement)),
  );
  await db.exec(`ANALYZE ${SHADOW_SCHEMA}.recap_daily; ANALYZE ${SHADOW_SCHEMA}.recap_monthly;`);
  const written = Date.now();

  // 3. catch up and swap, in one transaction that holds the live tables still meanwhile
  options.onProgress?.({ events, expected, phase: 'swapping' });
  const handler = createStatisticsProjection({ tree: () => tree, calendar: () => calendar, schema: SHADOW_SCHEMA });
  let caughtUp = 0;
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('lapor.statistics.tables'))`);
    // Locks in the order the live consumer takes them (its applied position, then the tables), so
    // the two wait for each other and never deadlock: consumers in flight finish first; the next
    // waits for the swap, and its statement then fails and is retried against the new tables.
    await tx.exec(`LOCK TABLE consumers.applied IN EXCLUSIVE MODE`);
    await tx.exec(`LOCK TABLE ${STATISTICS_SCHEMA}.complaint_state, ${STATISTICS_SCHEMA}.recap_facts IN EXCLUSIVE MODE`);
    for (;;) {
      const page = await store.readGlobalLog(position, pageSize);
      for (const recorded of page.events) {
        const complaintId = complaintIdFromStream(recorded.streamId);
        if (complaintId !== null && (await applyToShadow(tx, handler, complaintId, recorded))) caughtUp++;
      }
      if (page.events.length > 0) position = page.events.at(-1)!.logPosition;
      if (page.events.length < pageSize) break;
    }
    await tx.exec(`DROP SCHEMA ${STATISTICS_SCHEMA} CASCADE; ALTER SCHEMA ${SHADOW_SCHEMA} RENAME TO ${STATISTICS_SCHEMA};`);
    await tx.query(`DELETE FROM consumers.applied WHERE consumer = $1`, [PROJECTION_NAME]);
    await tx.query(
      `INSERT INTO consumers.applied (consumer, complaint_id, stream_version) SELECT $1, complaint_id, stream_version FROM ${STATISTICS_SCHEMA}.applied`,
      [PROJECTION_NAME],
    );
    await tx.exec(`DROP TABLE ${STATISTICS_SCHEMA}.applied`);
  });
  const swapped = Date.now();
  return { events: events + caughtUp, complaints: folded.size, rows, caughtUp, readMs: read - started, writeMs: written - read, swapMs: swapped - written };
}

function foldInto(folded: Map<string, Folded>, recorded: GlobalLogEvent, tree: OrganisationTree, calendar: Calendar): void {
  const complaintId = complaintIdFromStream(recorded.streamId);
  if (complaintId === null) return;
  const event: ComplaintEvent = readTrustedComplaintEvent({
    type: recorded.type,
    schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
    data: recorded.data,
  });
  let entry = folded.get(complaintId);
  if (!entry) folded.set(complaintId, (entry = { state: complaintDecider.initialState(), version: -1n, intervals: [], actions: [], breaches: [] }));
  const before = entry.state;
  const after = complaintDecider.evolve(before, event);
  entry.state = after;
  entry.version = recorded.streamVersion;
  if (!after.submitted) return;
  const next = recapFactsOf(after);
  const last = entry.intervals.at(-1);
  if (!last || !sameRecapFacts(last.facts, next)) {
    // two changes at the same moment: the later one is the interval (as the live projection's upsert)
    if (last && last.from === event.data.at) last.facts = next;
    else entry.intervals.push({ from: event.data.at, facts: next });
  }
  const action = adminActionOf(event, after, tree, calendar);
  if (action) entry.actions.push(action);
  const breach = breachOf(event, after, tree);
  if (breach) entry.breaches.push(breach);
}

/** Applies one event to the shadow unless it already has it (the shadow's own applied positions). */
async function applyToShadow(
  tx: SqlQueryable,
  handler: ReturnType<typeof createStatisticsProjection>,
  complaintId: string,
  recorded: GlobalLogEvent,
): Promise<boolean> {
  const [row] = await tx.query<{ stream_version: string | number }>(`SELECT stream_version FROM ${SHADOW_SCHEMA}.applied WHERE complaint_id = $1`, [
    complaintId,
  ]);
  if (row && BigInt(row.stream_version) >= recorded.streamVersion) return false;
  await handler.handle(
    {
      eventId: recorded.id,
      type: recorded.type,
      schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
      complaintId,
      streamVersion: recorded.streamVersion,
      globalPosition: recorded.position,
      recordedAt: recorded.recordedAt.toISOString(),
      data: recorded.data,
    },
    tx,
  );
  await tx.query(
    `INSERT INTO ${SHADOW_SCHEMA}.applied (complaint_id, stream_version) VALUES ($1, $2) ON CONFLICT (complaint_id) DO UPDATE SET stream_version = excluded.stream_version`,
    [complaintId, recorded.streamVersion.toString()],
  );
  return true;
}

/**
 * Rows go as one JSON document per chunk, unpacked by json_populate_recordset into the table's own
 * column types: one statement per chunk, and no per-value escaping in JavaScript. Each table keeps
 * one chunk in flight while the next is gathered, so the database inserts while JavaScript builds.
 */
class BulkTable {
  private rowsBuffered: Record<string, unknown>[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  rows = 0;
  constructor(
    private readonly db: SqlQueryable,
    private readonly table: string,
    private readonly names: readonly string[],
    private readonly chunk = 10_000,
  ) {}

  async add(values: readonly unknown[]): Promise<void> {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < values.length; index++) row[this.names[index]!] = values[index];
    this.rowsBuffered.push(row);
    this.rows++;
    if (this.rowsBuffered.length >= this.chunk) await this.send();
  }

  /** Waits for the chunk before, then sends this one without waiting for it. */
  private async send(): Promise<void> {
    await this.inFlight;
    const document = JSON.stringify(this.rowsBuffered);
    this.rowsBuffered = [];
    const columns = this.names.join(', ');
    const sending = this.db.query(`INSERT INTO ${this.table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${this.table}, $1::json)`, [
      document,
    ]);
    sending.catch(() => undefined); // awaited by the next send or flush, which report it
    this.inFlight = sending;
  }

  async flush(): Promise<void> {
    if (this.rowsBuffered.length > 0) await this.send();
    await this.inFlight;
  }
}

async function writeShadow(db: SqlRunner, folded: Map<string, Folded>, tree: OrganisationTree, calendar: Calendar): Promise<number> {
  const s = SHADOW_SCHEMA;
  const tables = {
    state: new BulkTable(db, `${s}.complaint_state`, ['complaint_id', 'state']),
    applied: new BulkTable(db, `${s}.applied`, ['complaint_id', 'stream_version']),
    intervals: new BulkTable(db, `${s}.recap_facts`, [
      'complaint_id',
      'valid_from',
      'valid_to',
      'row_node_id',
      'status',
      'received_on',
      'rtl_ms',
      'rating',
      'rv_ms',
    ]),
    facts: new BulkTable(db, `${s}.complaint_facts`, COMPLAINT_FACT_COLUMNS),
    hops: new BulkTable(db, `${s}.hop_facts`, ['complaint_id', 'seq', 'type', 'from_node_id', 'to_node_id', 'at', 'received_on', 'lost_ms']),
    breaches: new BulkTable(db, `${s}.sla_breaches`, ['complaint_id', 'stage', 'clock_started_at', 'node_id', 'due_at', 'working_days_late', 'received_on']),
    actions: new BulkTable(db, `${s}.admin_actions`, ['complaint_id', 'at', 'action', 'account_id', 'node_id', 'received_on', 'working_days', 'elapsed_ms']),
  };
  const daily = new Map<string, BucketDelta & { bucket?: string }>();
  const monthly = new Map<string, BucketDelta>();
  const addBucket = (buckets: Map<string, BucketDelta>, bucket: string, delta: BucketDelta): void => {
    const key = `${bucket}\u0000${delta[0]}\u0000${delta[1]}`;
    const sum = buckets.get(key);
    if (!sum) buckets.set(key, [...delta]);
    else for (let index = 2; index < 9; index++) (sum[index] as number) += delta[index] as number;
  };

  const seen = new Set<string>();
  for (const [complaintId, entry] of folded) {
    await tables.state.add([complaintId, entry.state]);
    await tables.applied.add([complaintId, entry.version.toString()]);
    if (!entry.state.submitted) continue;
    const complaint: Complaint = entry.state;
    const receivedOn = receivedOnOf(complaint, tree);
    for (const [index, interval] of entry.intervals.entries()) {
      const validTo = entry.intervals[index + 1]?.from ?? null;
      const f = interval.facts;
      await tables.intervals.add([complaintId, interval.from, validTo, f.rowNodeId, f.status, receivedOn, f.rtlMs, f.rating, f.rvMs]);
    }
    const now = recapFactsOf(complaint);
    addBucket(daily, receivedOn, bucketDelta(now, 1));
    addBucket(monthly, monthOf(receivedOn), bucketDelta(now, 1));
    await tables.facts.add(complaintFactValues(complaintFactsOf(complaint, tree, calendar)));
    for (const hop of hopFactsOf(complaint, tree))
      await tables.hops.add([hop.complaintId, hop.seq, hop.type, hop.fromNodeId, hop.toNodeId, hop.at, hop.receivedOn, hop.lostMs]);
    for (const breach of entry.breaches) {
      await tables.breaches.add([
        breach.complaintId,
        breach.stage,
        breach.clockStartedAt,
        breach.nodeId,
        breach.dueAt,
        breach.workingDaysLate,
        breach.receivedOn,
      ]);
    }
    for (const action of entry.actions) {
      // the live table's key: one action of a kind per complaint and moment
      const key = `${action.complaintId}\u0000${action.at}\u0000${action.action}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await tables.actions.add([
        action.complaintId,
        action.at,
        action.action,
        action.accountId,
        action.nodeId,
        action.receivedOn,
        action.workingDays,
        action.elapsedMs,
      ]);
    }
  }
  const bucketColumns = ['bucket', 'row_node_id', 'status', 'n', 'rtl_ms', 'rtl_n', 'rating_sum', 'rating_n', 'rv_ms', 'rv_n'];
  const dailyTable = new BulkTable(db, `${s}.recap_daily`, bucketColumns);
  const monthlyTable = new BulkTable(db, `${s}.recap_monthly`, bucketColumns);
  for (const [key, delta] of daily) await dailyTable.add([key.split('\u0000')[0], ...delta]);
  for (const [key, delta] of monthly) await monthlyTable.add([key.split('\u0000')[0], ...delta]);
  const all = [...Object.values(tables), dailyTable, monthlyTable];
  await Promise.all(all.map((table) => table.flush()));
  await db.query(`INSERT INTO ${s}.shape (shape, counted_with) VALUES ($1, $2)`, [PROJECTION_SHAPE, calendar.version]);
  return all.reduce((sum, table) => sum + table.rows, 0);
}
