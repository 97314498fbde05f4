import { ensureSchema, type SqlRunner } from '@lapor/sql';

const SCHEMA = 'idempotency';
const TABLE = `${SCHEMA}.requests`;
/** Expired records deleted per statement: a purge never holds the table long. */
const PURGED_PER_STATEMENT = 5_000;

/** What a key's record says when a request with it arrives. */
export type Admission =
  { readonly state: 'started' } | { readonly state: 'completed'; readonly sealed: string } | { readonly state: 'running' } | { readonly state: 'reused' };

/**
 * Idempotency records: operational data with an expiry, in a table of their own beside the events
 * (they were events in the complaint log once, half of all events under keyed load, and nothing
 * could remove them). One row per caller and key: the request's fingerprint, when it started, and
 * its answer once it has one. Times are the database's, so every process agrees on them.
 */
export class IdempotencyRecords {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: SqlRunner,
    private readonly options: { readonly keptForMs: number; readonly abandonedAfterMs: number },
  ) {}

  /** Starts the request named `id`, or says why not: answered already, still running, or another request's key. */
  async admit(id: string, fingerprint: string): Promise<Admission> {
    await this.prepare();
    const { keptForMs, abandonedAfterMs } = this.options;
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.db.query(
        `INSERT INTO ${TABLE} (id, fingerprint, started_at, expires_at) VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond')
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, fingerprint, keptForMs],
      );
      if (inserted.length > 0) return { state: 'started' };
      const [row] = await this.db.query<{ fingerprint: string; sealed: string | null; expired: boolean; abandoned: boolean; started_at: string }>(
        `SELECT fingerprint, sealed, started_at::text, expires_at <= now() AS expired, started_at <= now() - $2 * interval '1 millisecond' AS abandoned
         FROM ${TABLE} WHERE id = $1`,
        [id, abandonedAfterMs],
      );
      if (!row) continue; // forgotten in between: insert again
      if (row.expired) {
        await this.db.query(`DELETE FROM ${TABLE} WHERE id = $1 AND expires_at <= now()`, [id]);
        continue;
      }
      if (row.fingerprint !== fingerprint) return { state: 'reused' };
      if (row.sealed !== null) return { state: 'completed', sealed: row.sealed };
      if (!row.abandoned) return { state: 'running' };
      // its process died mid-request: take it over, once, whoever comes first
      const taken = await this.db.query(`UPDATE ${TABLE} SET started_at = now() WHERE id = $1 AND sealed IS NULL AND started_at::text = $2 RETURNING id`, [
        id,
        row.started_at,
      ]);
      if (taken.length > 0) return { state: 'started' };
    }
    return { state: 'running' };
  }

  async complete(id: string, sealed: string): Promise<void> {
    await this.db.query(`UPDATE ${TABLE} SET sealed = $2 WHERE id = $1`, [id, sealed]);
  }

  /** Forgets a request that changed nothing (refused, or failed on our side): a retry runs it afresh. */
  async forget(id: string): Promise<void> {
    await this.db.query(`DELETE FROM ${TABLE} WHERE id = $1 AND sealed IS NULL`, [id]);
  }

  /** Deletes expired records, a bounded number per statement; how many went. */
  async purge(): Promise<number> {
    await this.prepare();
    let purged = 0;
    for (;;) {
      const gone = await this.db.query(
        `DELETE FROM ${TABLE} WHERE id IN (SELECT id FROM ${TABLE} WHERE expires_at <= now() LIMIT ${PURGED_PER_STATEMENT}) RETURNING id`,
      );
      purged += gone.length;
      if (gone.length < PURGED_PER_STATEMENT) return purged;
    }
  }

  /** How many records are kept now (tests and operators). */
  async count(): Promise<number> {
    await this.prepare();
    const [row] = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${TABLE}`);
    return Number(row?.n ?? 0);
  }

  // on first use, not at start: the API document builds this edge without a database
  private prepare(): Promise<void> {
    this.ready ??= ensureSchema(
      this.db,
      SCHEMA,
      `CREATE TABLE IF NOT EXISTS ${TABLE} (
         id text PRIMARY KEY,
         fingerprint text NOT NULL,
         started_at timestamptz NOT NULL,
         sealed text,
         expires_at timestamptz NOT NULL
       );
       CREATE INDEX IF NOT EXISTS requests_expiry ON ${TABLE} (expires_at);`,
    ).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
