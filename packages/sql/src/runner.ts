/**
 * The only thing the two drivers differ in. Everything else (SQL, append, reads, subscriptions) is
 * shared, so both run the same statements against the same schema.
 */
export interface SqlQueryable {
  /** One statement with `$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlRunner extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with each payload sent on `channel`, and with '' when notifications may have been
   * lost (a reconnection). Resolves once listening; the returned function stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Sends `payload` on `channel` (pg_notify) in a transaction of its own, on a connection that
   * statements never wait for (pg: the listening one), so a notification never delays the work
   * that caused it.
   */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Loads `text`, rows in COPY's text format, into `table` by one COPY … FROM STDIN, where the driver
   * speaks it (pg; not PGlite). See rowLoader.
   */
  copyRows?(table: string, columns: readonly string[], text: string): Promise<void>;
  /**
   * Fills `table` through a connection of its own, in one transaction that first empties it, by
   * COPY … FREEZE (pg; not PGlite): the rows are written frozen and visible to every later
   * transaction, so a VACUUM after the load has no pass over them to make. Nothing is visible to
   * others before `commit`. See rowLoader.
   */
  fillTable?(table: string, columns: readonly string[]): TableFill;
}

/** One table being filled by `SqlRunner.fillTable`: chunks in turn, then commit, or abandon. */
export interface TableFill {
  /** Rows in COPY's text format, one COPY … FREEZE; the first opens the connection and empties the table. */
  copy(text: string): Promise<void>;
  /** Commits what was copied and closes the connection. */
  commit(): Promise<void>;
  /** Rolls back whatever was copied and closes the connection; safe to call at any point, more than once. */
  abandon(): Promise<void>;
}

/**
 * Marks a statement to be planned for its own parameters every time it runs, never from a cached
 * generic plan. The pg runner prepares every statement by name, and PostgreSQL plans a named
 * statement generically from its sixth run on a connection when that looks no dearer on average:
 * right for a lookup by key, wrong where the best plan turns on a parameter's selectivity (a text
 * search: a common word walks the receipt index and stops at a page, a rare one reads the match
 * index; one frozen plan serves one of them badly). PGlite plans each call anyway.
 */
export const PLANNED_PER_CALL = '/* planned per call */ ';

export const plannedPerCall = (sql: string): string => PLANNED_PER_CALL + sql;

/** A PostgreSQL error as both `pg` and PGlite report it. */
export interface DatabaseErrorFields {
  readonly code?: string;
  readonly constraint?: string;
}

export function isUniqueViolation(error: unknown): error is DatabaseErrorFields {
  return typeof error === 'object' && error !== null && (error as DatabaseErrorFields).code === '23505';
}
