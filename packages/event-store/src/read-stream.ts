import type { RecordedEvent } from './port';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';
import { byCount, valuesList } from './sql/values-list';

export type ReadStream = (streamId: string, options?: { fromVersion?: bigint; maxCount?: number }) => Promise<RecordedEvent[]>;

export function createStreamReader(db: SqlQueryable, schema: string): ReadStream {
  // Served by the (stream_id, stream_version) unique index; LIMIT NULL means no limit.
  const sql = `SELECT ${EVENT_COLUMNS} FROM ${quotedSchema(schema)}.events
WHERE stream_id = $1 AND stream_version >= $2::bigint
ORDER BY stream_version
LIMIT $3::bigint`;

  return async (streamId, options = {}) => {
    const { fromVersion = 0n, maxCount } = options;
    if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
      throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
    }
    const rows = await db.query<EventRow>(sql, [streamId, fromVersion.toString(), maxCount ?? null]);
    return rows.map(toRecordedEvent);
  };
}

export type ReadLatest = (streamIds: readonly string[]) => Promise<RecordedEvent[]>;

export function createLatestReader(db: SqlQueryable, schema: string): ReadLatest {
  // One backward index probe per stream: a stream's length does not matter.
  const latestOf = (wanted: string) => `SELECT latest.* FROM ${wanted} AS wanted(stream_id)
CROSS JOIN LATERAL (
  SELECT ${EVENT_COLUMNS} FROM ${quotedSchema(schema)}.events e
  WHERE e.stream_id = wanted.stream_id ORDER BY e.stream_version DESC LIMIT 1
) AS latest`;
  const statement = byCount(
    (count) => latestOf(valuesList(count, ['text'])),
    () => latestOf('unnest($1::text[])'),
  );

  return async (streamIds) => {
    if (streamIds.length === 0) return [];
    const unique = [...new Set(streamIds)];
    const { sql, listed } = statement(unique.length);
    const rows = await db.query<EventRow>(sql, listed ? unique : [unique]);
    return rows.map(toRecordedEvent);
  };
}

export type ReadStreams = (reads: ReadonlyArray<{ readonly streamId: string; readonly fromVersion?: bigint }>) => Promise<RecordedEvent[][]>;

export function createStreamsReader(db: SqlQueryable, schema: string): ReadStreams {
  // One index range scan per stream, all in one statement: a command that reads its complaint and
  // catches up on the taxonomy or the organisation pays one round trip, not two.
  const streamsOf = (wanted: string) => `SELECT wanted.n, e.* FROM ${wanted} AS wanted(stream_id, from_version, n)
CROSS JOIN LATERAL (
  SELECT ${EVENT_COLUMNS} FROM ${quotedSchema(schema)}.events ev
  WHERE ev.stream_id = wanted.stream_id AND ev.stream_version >= wanted.from_version
  ORDER BY ev.stream_version
) AS e
ORDER BY wanted.n, e.stream_version`;
  const statement = byCount(
    (count) => streamsOf(valuesList(count, ['text', 'bigint', 'integer'])),
    () => streamsOf('unnest($1::text[], $2::bigint[]) WITH ORDINALITY'),
  );

  return async (reads) => {
    if (reads.length === 0) return [];
    const { sql, listed } = statement(reads.length);
    const params = listed
      ? reads.flatMap((read, index) => [read.streamId, (read.fromVersion ?? 0n).toString(), index + 1])
      : [reads.map((read) => read.streamId), reads.map((read) => (read.fromVersion ?? 0n).toString())];
    const rows = await db.query<EventRow & { n: string | number }>(sql, params);
    const streams: RecordedEvent[][] = reads.map(() => []);
    for (const row of rows) streams[Number(row.n) - 1]!.push(toRecordedEvent(row));
    return streams;
  };
}
