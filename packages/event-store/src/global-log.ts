import type { GlobalLogPage, LogPosition } from './port';
import { EVENT_COLUMNS, toGlobalLogEvent, type EventRow } from './rows';
import type { SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';

export type ReadGlobalLog = (from: LogPosition, maxCount: number) => Promise<GlobalLogPage>;

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
