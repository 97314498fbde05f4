import type { SqlQueryable } from './runner';

/**
 * Rows into one table in chunks, each chunk one JSON document unpacked by json_populate_recordset into
 * the table's own column types: one statement per chunk, and no per-value escaping in JavaScript. One
 * chunk stays in flight while the next is gathered, so the database inserts while JavaScript builds.
 * What a read model's rebuild loads its shadow tables with.
 */
export class BulkInsert {
  private buffered: Record<string, unknown>[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Rows added so far. */
  rows = 0;

  constructor(
    private readonly db: SqlQueryable,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly chunk = 10_000,
  ) {}

  /** One row, its values in the order of `columns`. */
  async add(values: readonly unknown[]): Promise<void> {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < values.length; index++) row[this.columns[index]!] = values[index];
    this.buffered.push(row);
    this.rows++;
    if (this.buffered.length >= this.chunk) await this.send();
  }

  /** Sends what is buffered and waits for every chunk; the first failure is thrown here. */
  async flush(): Promise<void> {
    if (this.buffered.length > 0) await this.send();
    await this.inFlight;
  }

  /** Waits for the chunk before, then sends this one without waiting for it. */
  private async send(): Promise<void> {
    await this.inFlight;
    const document = JSON.stringify(this.buffered);
    this.buffered = [];
    const names = this.columns.join(', ');
    const sending = this.db.query(`INSERT INTO ${this.table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${this.table}, $1::json)`, [
      document,
    ]);
    sending.catch(() => undefined); // awaited by the next send or the flush, which report it
    this.inFlight = sending;
  }
}
