import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import type { EventEnvelope } from './envelope';

/** A read side: what it does with one event, inside the transaction that also records it as applied. */
export interface EventHandler {
  /** Names the read side; its applied positions are its own. */
  readonly name: string;
  handle(event: EventEnvelope, tx: SqlQueryable): Promise<void>;
}

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
      -- complaints whose events are held back: one of them is in the dead-letter topic, and a
      -- complaint's events apply in order or not at all
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.parked (
        consumer text NOT NULL,
        complaint_id text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, complaint_id)
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
  return db.transaction(async (tx) => {
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
  });
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
