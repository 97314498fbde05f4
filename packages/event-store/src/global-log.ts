import { LOG_START, type GlobalLogPage, type LogPosition } from './port';
import { EVENT_COLUMNS, toGlobalLogEvent, type EventRow } from './rows';
import type { SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';

export type ReadGlobalLog = (from: LogPosition, maxCount: number) => Promise<GlobalLogPage>;

/** The newest committed event's position, whether or not the global log may read it yet: the primary key's last entry. */
export function createLogHeadReader(db: SqlQueryable, schema: string): () => Promise<LogPosition> {
  const sql = `SELECT transaction_id::text AS transaction_id, global_position FROM ${quotedSchema(schema)}.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;
  return async () => {
    const [row] = await db.query<{ transaction_id: string; global_position: string | number }>(sql);
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.global_position) } : LOG_START;
  };
}

/**
 * The gap-free read. Positions come from a sequence, so a transaction can take position 5, commit
 * after one that took 6, and a reader that already moved past 6 would never see 5. Instead:
 * - only transactions older than the oldest still running are read (`pg_snapshot_xmin`): everything
 *   below it has ended, so nothing can still appear there;
 * - the order is (transaction_id, global_position), and pages resume after that same pair, so a
 *   transaction's events stay together and nothing is read twice.
 * The primary key (transaction_id, global_position) serves both the range and the order.
 */
export function createGlobalLogReader(db: SqlQueryable, schema: string): ReadGlobalLog {
  const sql = `SELECT ${EVENT_COLUMNS} FROM ${quotedSchema(schema)}.events
WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, global_position
LIMIT $3::integer`;

  return async (from, maxCount) => {
    if (!(Number.isSafeInteger(maxCount) && maxCount > 0)) throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
    const rows = await db.query<EventRow>(sql, [from.transactionId.toString(), from.position.toString(), maxCount]);
    const events = rows.map(toGlobalLogEvent);
    return { events, next: events.at(-1)?.logPosition ?? from };
  };
}

/**
 * The log read shared by the subscriptions of one store: a read asked for while the same one (same
 * position, same page size) is under way gets that read's page instead of another round trip. An
 * append wakes every subscription of the process at once, and caught up they all stand at the same
 * position: nine read sides in an embedded gateway made nine identical reads per append. A page
 * read a moment before a subscription asked may miss an append it was just told about; it sees its
 * position short of that announcement and reads again (GlobalLogFollower's recheck), as it does
 * for an append not yet visible. Pages are shared, never copied: their events are read-only.
 */
export function shareConcurrentReads(read: ReadGlobalLog): ReadGlobalLog {
  const underWay = new Map<string, Promise<GlobalLogPage>>();
  return (from, maxCount) => {
    const key = `${from.transactionId}:${from.position}:${maxCount}`;
    let reading = underWay.get(key);
    if (!reading) {
      reading = read(from, maxCount).finally(() => underWay.delete(key));
      underWay.set(key, reading);
    }
    return reading;
  };
}
