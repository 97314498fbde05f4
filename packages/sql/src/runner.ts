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
  close(): Promise<void>;
  /**
   * Loads `text`, rows in COPY's text format, into `table` by one COPY … FROM STDIN, where the driver
   * speaks it (pg; not PGlite). See rowLoader.
   */
  copyRows?(table: string, columns: readonly string[], text: string): Promise<void>;
}

/** A PostgreSQL error as both `pg` and PGlite report it. */
export interface DatabaseErrorFields {
  readonly code?: string;
  readonly constraint?: string;
}

export function isUniqueViolation(error: unknown): error is DatabaseErrorFields {
  return typeof error === 'object' && error !== null && (error as DatabaseErrorFields).code === '23505';
}
