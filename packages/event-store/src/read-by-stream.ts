import { LOG_START, type LogPosition, type RecordedEvent, type StreamCursor } from './port';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';

export type ReadSettledLogHead = () => Promise<LogPosition>;
export type ReadLogByStream = (upTo: LogPosition, after: StreamCursor | undefined, maxCount: number) => Promise<RecordedEvent[]>;

/**
 * The last event the global log can deliver now. Its transaction is older than the oldest one still
 * running, so every event at or below it has ended one way or the other: no later commit can add one
 * there, and a read up to it sees a set that does not change.
 */
export function createSettledHeadReader(db: SqlQueryable, schema: string): ReadSettledLogHead {
  const sql = `SELECT transaction_id::text AS transaction_id, global_position FROM ${quotedSchema(schema)}.events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;
  return async () => {
    const [row] = await db.query<{ transaction_id: string; global_position: string | number }>(sql);
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.global_position) } : LOG_START;
  };
}

/**
 * The log up to a settled position, stream after stream: what a rebuild reads to fold one stream
 * whole, write it and forget it, so its memory does not grow with the log. Paged on the
 * (stream_id, stream_version) unique index, so each page is one descent and a walk along it; the
 * rows' heap pages come in the index's order, not the table's, which costs the server more than the
 * global log's walk when a table no longer fits in memory.
 */
export function createByStreamReader(db: SqlQueryable, schema: string): ReadLogByStream {
  // '' sorts before every stream id and -1 before every version: the first page starts at the start.
  const sql = `SELECT ${EVENT_COLUMNS} FROM ${quotedSchema(schema)}.events
WHERE (stream_id, stream_version) > ($1, $2::bigint)
  AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)
ORDER BY stream_id, stream_version
LIMIT $5::integer`;

  return async (upTo, after, maxCount) => {
    if (!(Number.isSafeInteger(maxCount) && maxCount > 0)) throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
    const rows = await db.query<EventRow>(sql, [
      after?.streamId ?? '',
      (after?.streamVersion ?? -1n).toString(),
      upTo.transactionId.toString(),
      upTo.position.toString(),
      maxCount,
    ]);
    return rows.map(toRecordedEvent);
  };
}
