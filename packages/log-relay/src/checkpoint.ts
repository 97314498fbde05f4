import { type LogPosition } from '@lapor/event-store';
import { ensureSchema, type SqlRunner } from '@lapor/sql';
import { LOG_START } from '@lapor/event-store';

const SCHEMA = 'relay';

/** Where a named relay stands in the global log, kept in the database beside the events. */
export class CheckpointStore {
  private constructor(private readonly db: SqlRunner) {}

  static async open(db: SqlRunner): Promise<CheckpointStore> {
    await ensureSchema(
      db,
      SCHEMA,
      `
        CREATE TABLE IF NOT EXISTS ${SCHEMA}.checkpoints (
          name text PRIMARY KEY,
          transaction_id text NOT NULL,
          position bigint NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        );`,
    );
    return new CheckpointStore(db);
  }

  async load(name: string): Promise<LogPosition> {
    const [row] = await this.db.query<{ transaction_id: string; position: string | number }>(
      `SELECT transaction_id, position FROM ${SCHEMA}.checkpoints WHERE name = $1`,
      [name],
    );
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : LOG_START;
  }

  /** Events in the log after `at` (the relay's lag in events). */
  async countAfter(at: LogPosition, eventStoreSchema = 'eventstore'): Promise<number> {
    const [row] = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM "${eventStoreSchema}".events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
      [at.transactionId.toString(), at.position.toString()],
    );
    return Number(row?.n ?? 0);
  }

  async save(name: string, at: LogPosition): Promise<void> {
    await this.db.query(
      `INSERT INTO ${SCHEMA}.checkpoints (name, transaction_id, position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()`,
      [name, at.transactionId.toString(), at.position.toString()],
    );
  }
}
