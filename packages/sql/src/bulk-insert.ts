import type { SqlQueryable, SqlRunner, TableFill } from './runner';

/** Rows into one table, many at a time: what a read model's rebuild loads its shadow tables with. */
export interface RowLoader {
  /** Rows added so far. */
  readonly rows: number;
  /** Whether the flushed rows were written frozen and all-visible (COPY … FREEZE): a VACUUM after would find nothing to do. */
  readonly frozen: boolean;
  /** One row, its values in the order of the loader's columns. */
  add(values: readonly unknown[]): Promise<void>;
  /** Sends what is buffered and waits for every chunk; the first failure is thrown here. */
  flush(): Promise<void>;
  /** After a failure elsewhere: whatever this loader holds open is let go (its rows may or may not stay). */
  abandon(): Promise<void>;
}

/**
 * The fastest loader the runner has: COPY … FREEZE into a table it empties, in one transaction, where
 * the driver can (pg, `fillTable`); else COPY … FROM STDIN chunk by chunk; else BulkInsert's one
 * INSERT per chunk (PGlite, where the rows do not cross a network anyway). With `fillTable`, once a
 * row is added the table's earlier rows are gone, and the loaded ones are visible only once `flush`
 * has returned: for a table made to be loaded, as a rebuild's shadow tables are.
 */
export function rowLoader(db: SqlQueryable & Partial<Pick<SqlRunner, 'copyRows' | 'fillTable'>>, table: string, columns: readonly string[]): RowLoader {
  const { copyRows, fillTable } = db;
  if (fillTable) return new FrozenCopyInsert(fillTable(table, columns));
  return copyRows ? new CopyInsert((text) => copyRows(table, columns, text)) : new BulkInsert(db, table, columns);
}

/**
 * Rows gathered into chunks, one chunk in flight while the next is gathered, so the database loads
 * while JavaScript builds. `encode` makes a row what a chunk is made of; `send` loads one chunk.
 */
abstract class ChunkedLoader<Item> implements RowLoader {
  private buffered: Item[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  rows = 0;
  readonly frozen: boolean = false;

  constructor(private readonly chunk: number) {}

  protected abstract encode(values: readonly unknown[]): Item;
  protected abstract send(chunk: Item[]): Promise<unknown>;

  async add(values: readonly unknown[]): Promise<void> {
    this.buffered.push(this.encode(values));
    this.rows++;
    if (this.buffered.length >= this.chunk) await this.next();
  }

  async flush(): Promise<void> {
    if (this.buffered.length > 0) await this.next();
    await this.inFlight;
  }

  async abandon(): Promise<void> {
    this.buffered = [];
    await this.inFlight.catch(() => undefined);
  }

  /** Waits for the chunk before, then sends this one without waiting for it. */
  private async next(): Promise<void> {
    await this.inFlight;
    const chunk = this.buffered;
    this.buffered = [];
    const sending = this.send(chunk);
    sending.catch(() => undefined); // awaited by the next send or the flush, which report it
    this.inFlight = sending;
  }
}

/** One row as json_populate_recordset reads it: its values named by the columns, in their order. */
export function rowObject(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < values.length; index++) row[columns[index]!] = values[index];
  return row;
}

/** Rows as one JSON document, for `SELECT … FROM json_populate_recordset(NULL::table, $1::json)`. */
export const rowsAsJson = (columns: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  JSON.stringify(rows.map((row) => rowObject(columns, row)));

/**
 * Each chunk one JSON document unpacked by json_populate_recordset into the table's own column types:
 * one statement per chunk, and no per-value escaping in JavaScript. For a runner without COPY.
 */
export class BulkInsert extends ChunkedLoader<Record<string, unknown>> {
  constructor(
    private readonly db: SqlQueryable,
    private readonly table: string,
    private readonly columns: readonly string[],
    chunk = 10_000,
  ) {
    super(chunk);
  }

  protected encode(values: readonly unknown[]): Record<string, unknown> {
    return rowObject(this.columns, values);
  }

  protected send(chunk: Record<string, unknown>[]): Promise<unknown> {
    const names = this.columns.join(', ');
    return this.db.query(`INSERT INTO ${this.table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${this.table}, $1::json)`, [
      JSON.stringify(chunk),
    ]);
  }
}

/**
 * Each chunk one COPY in PostgreSQL's text format: no statement to plan and no JSON to unpack per
 * row, the server parses each value straight into its column. Values as BulkInsert takes them: json
 * columns as objects or arrays, null for NULL.
 */
class CopyInsert extends ChunkedLoader<string> {
  constructor(
    private readonly copy: (text: string) => Promise<void>,
    chunk = 20_000,
  ) {
    super(chunk);
  }

  protected encode(values: readonly unknown[]): string {
    return values.map(copyField).join('\t');
  }

  protected send(chunk: string[]): Promise<unknown> {
    return this.copy(`${chunk.join('\n')}\n`);
  }
}

/** CopyInsert's chunks into one transaction that emptied the table first, committed by `flush`. */
class FrozenCopyInsert extends CopyInsert {
  override readonly frozen = true;

  constructor(private readonly fill: TableFill) {
    super((text) => fill.copy(text));
  }

  override async flush(): Promise<void> {
    await super.flush();
    await this.fill.commit();
  }

  override async abandon(): Promise<void> {
    await super.abandon();
    await this.fill.abandon();
  }
}

const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = new RegExp(SPECIAL.source, 'g');
// Most values need no escaping: testing first took 37 ns for a short one (an id, a status) where the
// replace took 67–85 ns; a long text costs about the same either way.
const escaped = (text: string): string => (SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPED[c]!) : text);

/** One value in COPY's text format. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escaped(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  // JSON text holds no raw newline, return or tab (JSON.stringify escapes them): only its
  // backslashes need doubling. A rebuild's folded states are most of what it loads.
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}
