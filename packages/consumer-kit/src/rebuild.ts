import { envelopeFromLog } from '@lapor/complaint-event-message';
import type { EventStore, GlobalLogEvent, LogPosition, StreamCursor } from '@lapor/event-store';
import { rowLoader, type RowLoader, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { recordFollowedPosition, type EventHandler } from './apply-once';
import type { EventEnvelope } from './envelope';
import { readModelTablesLock } from './read-model-tables';

// Rebuilding a read model from the event log without downtime. The log up to a settled cut is read
// complaint by complaint (its stream whole, in version order), each complaint folded, written to a
// shadow schema and forgotten, so memory holds one complaint and the loaders' buffers however long
// the log is. The rows are bulk-loaded (COPY on a server) and given their keys and indexes after,
// each built once over all the rows rather than kept up row by row; then one transaction catches up
// on what arrived after the cut and swaps the shadow in. Readers see the old tables until that
// commit and the new ones after it; never a half-built table.

export interface RebuildProgress {
  readonly events: number;
  /** Events in the log when the rebuild started (for an ETA); more may arrive. */
  readonly expected: number;
  readonly phase: 'reading' | 'writing' | 'swapping';
}

export interface RebuildResult {
  readonly events: number;
  readonly complaints: number;
  readonly rows: number;
  readonly caughtUp: number;
  /** Reading, folding and loading the rows, which go on side by side. */
  readonly readMs: number;
  /** Flushing the last rows, then keys, indexes and ANALYZE: writeMs is the two together. */
  readonly writeMs: number;
  readonly loadMs: number;
  readonly keysMs: number;
  readonly swapMs: number;
}

/** Where a read model's rows are bulk-loaded: the shadow schema and a loader per table. */
export interface ShadowTables {
  readonly schema: string;
  /** A loader for `schema.name`; every loader is flushed, counted and analysed by the rebuild. */
  table(name: string, columns: readonly string[]): RowLoader;
}

/** Where the folded complaints go: one at a time, each once and whole, then whatever sums over all of them. */
export interface ShadowWriter<Entry> {
  write(complaintId: string, entry: Entry): Promise<void>;
  finish(): Promise<void>;
}

/** What the machinery needs to know of one read model. `Entry` is what the fold keeps per complaint. */
export interface RebuildableReadModel<Entry> {
  /** The consumer its applied positions are kept under (consumers.applied). */
  readonly consumer: string;
  /** The live schema readers read, and the shadow it is rebuilt in. */
  readonly schema: string;
  readonly shadowSchema: string;
  /** The live tables its projection writes, held still while the swap catches up. */
  readonly liveTables: readonly string[];
  /** The tables in a schema without keys or indexes (the rows come first). */
  tablesDdl(schema: string): string;
  /**
   * Keys and indexes, run side by side once the rows are in: each step one statement, or statements
   * that must run in turn (a table made by SQL from the loaded rows, then its key). Steps start in
   * the order given, so the longest goes first.
   */
  keys(schema: string): readonly (string | readonly string[])[];
  /** One event of a complaint onto what is kept of it (undefined before its first event). */
  fold(entry: Entry | undefined, event: EventEnvelope): Entry;
  /** What writes folded complaints into the shadow tables, the shape row included (at `finish`). */
  writer(into: ShadowTables): ShadowWriter<Entry>;
  /** The live projection writing into `schema`: what catches the shadow up inside the swap. */
  handler(schema: string): EventHandler;
}

export interface RebuildOptions {
  readonly store: EventStore;
  readonly db: SqlRunner;
  /** Events in the log, for the progress report's ETA. */
  readonly expectedEvents?: number;
  readonly pageSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /**
   * Memory each key or index build may sort in, and a table made by SQL from the loaded rows may
   * group in (PostgreSQL's maintenance_work_mem and work_mem, for those statements only). The
   * server's defaults, 64 MB and 4 MB, are far below what a national rebuild sorts, so they spilled
   * to temporary files. They run four at a time on the usual pool: count four times this.
   */
  readonly sortMemory?: string;
}

const SORT_MEMORY = '256MB';

/** Rebuilds the read model's tables from the whole log and swaps them in; its live tables must exist. */
export async function rebuildReadModel<Entry>(model: RebuildableReadModel<Entry>, options: RebuildOptions): Promise<RebuildResult> {
  const { store, db } = options;
  const shadow = model.shadowSchema;
  const pageSize = options.pageSize ?? 10_000;
  const expected = options.expectedEvents ?? 0;
  const started = Date.now();

  // 1. the shadow tables, without keys: the rows come first
  await db.exec(`DROP SCHEMA IF EXISTS ${shadow} CASCADE; CREATE SCHEMA ${shadow}; ${model.tablesDdl(shadow)};
    CREATE TABLE ${shadow}.applied (complaint_id text NOT NULL, stream_version bigint NOT NULL);`);
  const loaders: { name: string; loader: RowLoader }[] = [];
  const table = (name: string, columns: readonly string[]): RowLoader => {
    const loader = rowLoader(db, `${shadow}.${name}`, columns);
    loaders.push({ name, loader });
    return loader;
  };
  const applied = table('applied', ['complaint_id', 'stream_version']);
  const writer = model.writer({ schema: shadow, table });

  // 2. the log up to the cut, complaint by complaint: each one written once its stream has ended;
  // the next page is read while this one is folded and written
  const cut = await store.readSettledLogHead();
  let events = 0;
  let complaints = 0;
  let current: { complaintId: string; entry: Entry; version: bigint } | undefined;
  const writeCurrent = async (): Promise<void> => {
    if (!current) return;
    await applied.add([current.complaintId, current.version.toString()]);
    await writer.write(current.complaintId, current.entry);
    complaints++;
    current = undefined;
  };
  let read: number;
  try {
    let reading = store.readLogByStream(cut, undefined, pageSize);
    for (;;) {
      const page = await reading;
      const last = page.at(-1);
      const more = last !== undefined && page.length === pageSize;
      if (more) reading = store.readLogByStream(cut, cursorAt(last), pageSize);
      for (const recorded of page) {
        const envelope = envelopeFromLog(recorded);
        if (!envelope) continue;
        if (current?.complaintId !== envelope.complaintId) {
          await writeCurrent();
          current = { complaintId: envelope.complaintId, entry: model.fold(undefined, envelope), version: envelope.streamVersion };
        } else {
          current.entry = model.fold(current.entry, envelope);
          current.version = envelope.streamVersion;
        }
      }
      events += page.length;
      options.onProgress?.({ events, expected, phase: 'reading' });
      if (!more) break;
    }
    await writeCurrent();
    read = Date.now();

    // 3. the last rows, then keys and indexes
    options.onProgress?.({ events, expected, phase: 'writing' });
    await writer.finish();
    await Promise.all(loaders.map(({ loader }) => loader.flush()));
  } catch (error) {
    // a loader may hold a transaction open on a connection of its own until its flush (fillTable)
    await Promise.all(loaders.map(({ loader }) => loader.abandon()));
    throw error;
  }
  const rows = loaders.reduce((sum, { loader }) => sum + loader.rows, 0);
  const loaded = Date.now();
  const sortMemory = options.sortMemory ?? SORT_MEMORY;
  await Promise.all(
    [...model.keys(shadow), `ALTER TABLE ${shadow}.applied ADD PRIMARY KEY (complaint_id)`].map((step) =>
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('maintenance_work_mem', $1, true), set_config('work_mem', $1, true)`, [sortMemory]);
        for (const statement of typeof step === 'string' ? [step] : step) await tx.exec(statement);
      }),
    ),
  );
  // The planner's first look at the new tables (without it the first pages after the swap plan
  // blind), and their visibility map set at once, so counts are index-only scans from the start
  // rather than after autovacuum's turn. VACUUM runs one statement a call, outside a transaction.
  // A table loaded frozen (fillTable, on a server) has its visibility map set by the load, and
  // VACUUM's pass over it and its indexes would find nothing: ANALYZE alone. The live tables too:
  // some are made by SQL from the loaded ones, not loaded.
  const frozen = new Set(loaders.filter(({ loader }) => loader.frozen).map(({ name }) => name));
  await Promise.all(
    [...new Set([...loaders.map(({ name }) => name), ...model.liveTables])].map((name) =>
      db.exec(`${frozen.has(name) ? 'ANALYZE' : 'VACUUM (ANALYZE)'} ${shadow}.${name}`),
    ),
  );
  const written = Date.now();

  // 4. catch up from the cut and swap, in one transaction that holds the live tables still meanwhile
  options.onProgress?.({ events, expected, phase: 'swapping' });
  const handler = model.handler(shadow);
  let caughtUp = 0;
  let position: LogPosition = cut;
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [readModelTablesLock(model.schema)]);
    // Locks in the order the live consumer takes them (its applied position, then the tables), so
    // the two wait for each other and never deadlock: consumers in flight finish first; the next
    // waits for the swap, and its statement then fails and is retried against the new tables.
    await tx.exec(`LOCK TABLE consumers.applied IN EXCLUSIVE MODE`);
    await tx.exec(`LOCK TABLE ${model.liveTables.map((name) => `${model.schema}.${name}`).join(', ')} IN EXCLUSIVE MODE`);
    for (;;) {
      const page = await store.readGlobalLog(position, pageSize);
      for (const recorded of page.events) if (await applyToShadow(tx, shadow, handler, recorded)) caughtUp++;
      if (page.events.length > 0) position = page.events.at(-1)!.logPosition;
      if (page.events.length < pageSize) break;
    }
    await tx.exec(`DROP SCHEMA ${model.schema} CASCADE; ALTER SCHEMA ${shadow} RENAME TO ${model.schema};`);
    await tx.query(`DELETE FROM consumers.applied WHERE consumer = $1`, [model.consumer]);
    await tx.query(
      `INSERT INTO consumers.applied (consumer, complaint_id, stream_version) SELECT $1, complaint_id, stream_version FROM ${model.schema}.applied`,
      [model.consumer],
    );
    await tx.exec(`DROP TABLE ${model.schema}.applied`);
    // a log follower started after the swap reads on from here, not through the whole log again
    await recordFollowedPosition(tx, model.consumer, position);
  });
  const swapped = Date.now();
  return {
    events: events + caughtUp,
    complaints,
    rows,
    caughtUp,
    readMs: read - started,
    writeMs: written - read,
    loadMs: loaded - read,
    keysMs: written - loaded,
    swapMs: swapped - written,
  };
}

function cursorAt(event: { readonly streamId: string; readonly streamVersion: bigint }): StreamCursor {
  return { streamId: event.streamId, streamVersion: event.streamVersion };
}

/** Applies one event to the shadow unless it already has it (the shadow's own applied positions). */
async function applyToShadow(tx: SqlQueryable, shadow: string, handler: EventHandler, recorded: GlobalLogEvent): Promise<boolean> {
  const envelope = envelopeFromLog(recorded);
  if (!envelope) return false;
  const [row] = await tx.query<{ stream_version: string | number }>(`SELECT stream_version FROM ${shadow}.applied WHERE complaint_id = $1`, [
    envelope.complaintId,
  ]);
  if (row && BigInt(row.stream_version) >= envelope.streamVersion) return false;
  await handler.handle(envelope, tx);
  await tx.query(
    `INSERT INTO ${shadow}.applied (complaint_id, stream_version) VALUES ($1, $2) ON CONFLICT (complaint_id) DO UPDATE SET stream_version = excluded.stream_version`,
    [envelope.complaintId, envelope.streamVersion.toString()],
  );
  return true;
}
