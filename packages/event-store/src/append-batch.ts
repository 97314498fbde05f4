import type { Appended } from './append';
import { encodeExpectedVersion } from './expected-version';
import type { EventToAppend, ExpectedVersion } from './port';
import { toBigInt } from './rows';
import type { SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';

/** One append of a group commit: a stream appears at most once per batch. */
export interface BatchedAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedVersion;
}

/**
 * Appends to many streams in one statement, so one round trip and one commit. Each append's
 * expectation is checked on its own stream, and an append whose event ids are already stored is
 * left out rather than failing the statement: what is left out is not written, and the caller
 * sorts it out alone (a retry's answer, a conflict). Versions come from the statement's snapshot
 * and the transaction id is taken at the insert, after it, as in the single append: within a
 * stream, version order stays transaction-id order, which the global log relies on. Rows are
 * inserted append by append, event by event, so each append's events sit together in the log.
 */
function batchStatement(schema: string): string {
  const events = `${quotedSchema(schema)}.events`;
  return `WITH batch AS (
  SELECT b.n, b.v->>'s' AS stream_id, (b.v->>'x')::bigint AS expected, b.v->'e' AS events, c.version
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS b(v, n)
  CROSS JOIN LATERAL (SELECT max(stream_version) AS version FROM ${events} WHERE stream_id = b.v->>'s') c
), accepted AS (
  SELECT * FROM batch a
  WHERE CASE a.expected
    WHEN -2 THEN true
    WHEN -4 THEN a.version IS NOT NULL
    ELSE coalesce(a.version, -1) = a.expected
  END
  AND NOT EXISTS (
    SELECT 1 FROM ${events} ev WHERE ev.event_id = ANY (ARRAY(SELECT (e.v->>'id')::uuid FROM jsonb_array_elements(a.events) AS e(v)))
  )
), appended AS (
  INSERT INTO ${events} (stream_id, stream_version, event_id, event_type, data, metadata)
  SELECT a.stream_id, coalesce(a.version, -1) + e.n, (e.v->>'id')::uuid, e.v->>'type', e.v->'data', e.v->'metadata'
  FROM accepted a CROSS JOIN LATERAL jsonb_array_elements(a.events) WITH ORDINALITY AS e(v, n)
  ORDER BY a.n, e.n
  RETURNING stream_id, stream_version, global_position
)
SELECT stream_id, max(stream_version) AS version, max(global_position) AS position,
       pg_current_xact_id_if_assigned()::text AS transaction_id
FROM appended GROUP BY stream_id`;
}

interface BatchRow {
  readonly stream_id: string;
  readonly version: unknown;
  readonly position: unknown;
  readonly transaction_id: string;
}

/** One append as an element of the batch document; throws if its data cannot be serialised. */
export function serialiseBatched(append: BatchedAppend): string {
  return JSON.stringify({
    s: append.streamId,
    x: encodeExpectedVersion(append.expected).toString(),
    e: append.events.map((event) => ({ id: event.id, type: event.type, data: event.data ?? null, metadata: event.metadata ?? {} })),
  });
}

/** Writes what it can of the batch (its elements from `serialiseBatched`); answers what was written, by stream. */
export type AppendBatch = (serialised: readonly string[]) => Promise<Map<string, Appended>>;

export function createBatchAppender(db: SqlQueryable, schema: string): AppendBatch {
  const sql = batchStatement(schema);
  return async (serialised) => {
    const rows = await db.query<BatchRow>(sql, [`[${serialised.join(',')}]`]);
    return new Map(
      rows.map((row) => [
        row.stream_id,
        { nextExpectedVersion: toBigInt(row.version), position: toBigInt(row.position), transactionId: BigInt(row.transaction_id) },
      ]),
    );
  };
}
