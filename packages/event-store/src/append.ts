import { DuplicateEventIdError, WrongExpectedVersionError } from './errors';
import { encodeExpectedVersion, mayRetryAfterConflict } from './expected-version';
import type { AppendResult, EventToAppend, ExpectedVersion } from './port';
import { toBigInt } from './rows';
import { isUniqueViolation, type SqlQueryable } from '@lapor/sql';
import { quotedSchema } from './sql/identifiers';

export interface Appended extends AppendResult {
  /** The writing transaction, when this call wrote (absent for an idempotent retry). */
  readonly transactionId?: bigint;
}

export type AppendToStream = (streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion) => Promise<Appended>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// 'any' retries only when a concurrent writer took the version it computed; a handful is plenty.
const MAX_ATTEMPTS = 20;

/**
 * The whole append is one statement, so one round trip and one commit: read the stream's version,
 * check the expectation, insert the events. Nothing is written when the check fails, and two writers
 * that both passed it collide on the (stream_id, stream_version) unique index. Versions are computed
 * from the statement's snapshot, and a transaction id is taken only at the insert, after that
 * snapshot: so within a stream, version order is transaction-id order, which the global log relies on.
 */
function appendStatement(schema: string): string {
  const events = `${quotedSchema(schema)}.events`;
  return `WITH current_version AS (
  SELECT max(stream_version) AS version FROM ${events} WHERE stream_id = $1
), accepted AS (
  SELECT coalesce(c.version, -1) AS version FROM current_version c
  WHERE CASE $2::bigint
    WHEN -2 THEN true
    WHEN -4 THEN c.version IS NOT NULL
    ELSE coalesce(c.version, -1) = $2::bigint
  END
), appended AS (
  INSERT INTO ${events} (stream_id, stream_version, event_id, event_type, data, metadata)
  SELECT $1, a.version + e.n, (e.v->>'id')::uuid, e.v->>'type', e.v->'data', e.v->'metadata'
  FROM accepted a CROSS JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, n)
  ORDER BY e.n
  RETURNING stream_version, global_position
)
SELECT max(stream_version) AS version, max(global_position) AS position,
       pg_current_xact_id_if_assigned()::text AS transaction_id
FROM appended`;
}

/**
 * The same append for one event, with its fields as plain parameters: no JSON array to build and
 * take apart. Single-event appends are what a command mostly writes; this measured 1.2x the array
 * form at 16 writers. With no GROUP BY the aggregate yields exactly one row, which HAVING keeps
 * only when the expectation holds.
 */
function singleAppendStatement(schema: string): string {
  const events = `${quotedSchema(schema)}.events`;
  return `INSERT INTO ${events} (stream_id, stream_version, event_id, event_type, data, metadata)
SELECT $1, coalesce(max(stream_version), -1) + 1, $3::uuid, $4, $5::jsonb, $6::jsonb
FROM ${events} WHERE stream_id = $1
HAVING CASE $2::bigint
  WHEN -2 THEN true
  WHEN -4 THEN max(stream_version) IS NOT NULL
  ELSE coalesce(max(stream_version), -1) = $2::bigint
END
RETURNING stream_version AS version, global_position AS position, pg_current_xact_id_if_assigned()::text AS transaction_id`;
}

/** Only on the rare path where nothing was written: is this a retry of stored events, or a conflict? */
function lookupStatement(schema: string): string {
  const events = `${quotedSchema(schema)}.events`;
  return `WITH stored AS (
  SELECT ev.event_id, ev.stream_id, ev.stream_version, ev.global_position
  FROM ${events} ev
  WHERE ev.event_id IN (SELECT (e.v->>'id')::uuid FROM jsonb_array_elements($2::jsonb) AS e(v))
)
SELECT (SELECT max(stream_version) FROM ${events} WHERE stream_id = $1) AS actual_version,
       (SELECT count(*) FROM stored WHERE stream_id = $1) AS stored_here,
       (SELECT max(stream_version) FROM stored WHERE stream_id = $1) AS version,
       (SELECT max(global_position) FROM stored WHERE stream_id = $1) AS position,
       (SELECT coalesce(jsonb_agg(event_id::text), '[]'::jsonb) FROM stored) AS stored_ids`;
}

interface AppendRow {
  readonly version: unknown;
  readonly position: unknown;
  readonly transaction_id: string | null;
}
interface LookupRow {
  readonly actual_version: unknown;
  readonly stored_here: unknown;
  readonly version: unknown;
  readonly position: unknown;
  readonly stored_ids: string[];
}

/** What every append is checked for before it reaches the database: it fails alone, on the caller's line. */
export function checkAppend(streamId: string, events: readonly EventToAppend[]): void {
  if (events.length === 0) throw new RangeError(`append to ${streamId}: no events`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new RangeError(`event id must be a UUID, got ${JSON.stringify(event.id)}`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new RangeError(`event id ${id} appears twice in one append`);
    ids.add(id);
  }
}

function serialise(events: readonly EventToAppend[]): string {
  return JSON.stringify(events.map((event) => ({ id: event.id, type: event.type, data: event.data ?? null, metadata: event.metadata ?? {} })));
}

export function createAppender(db: SqlQueryable, schema: string): AppendToStream {
  const append = appendStatement(schema);
  const appendOne = singleAppendStatement(schema);
  const lookup = lookupStatement(schema);

  return async (streamId, events, expected) => {
    checkAppend(streamId, events);
    // The client shares the machine's cores with the server: a single event is not serialised
    // twice, and the array form is built only where it is used.
    let serialised: string | undefined;
    const payload = (): string => (serialised ??= serialise(events));
    const expectedCode = encodeExpectedVersion(expected).toString();

    for (let attempt = 1; ; attempt++) {
      let written: AppendRow | undefined;
      try {
        const [only] = events;
        [written] =
          events.length === 1 && only
            ? await db.query<AppendRow>(appendOne, [
                streamId,
                expectedCode,
                only.id,
                only.type,
                JSON.stringify(only.data ?? null),
                JSON.stringify(only.metadata ?? {}),
              ])
            : await db.query<AppendRow>(append, [streamId, expectedCode, payload()]);
      } catch (error) {
        // Either id or version collided with a concurrent or earlier append: sorted out below.
        if (!isUniqueViolation(error)) throw error;
      }
      if (written && written.version !== null && written.transaction_id !== null) {
        return {
          nextExpectedVersion: toBigInt(written.version),
          position: toBigInt(written.position),
          transactionId: BigInt(written.transaction_id),
        };
      }

      const [found] = await db.query<LookupRow>(lookup, [streamId, payload()]);
      if (!found) throw new Error('event store: lookup returned no row');
      if (toBigInt(found.stored_here) === BigInt(events.length)) {
        // A retry of an append that did commit: answer as the first time, write nothing.
        return { nextExpectedVersion: toBigInt(found.version), position: toBigInt(found.position) };
      }
      if (found.stored_ids.length > 0) throw new DuplicateEventIdError(streamId, found.stored_ids);
      const actual = found.actual_version === null ? undefined : toBigInt(found.actual_version);
      if (attempt < MAX_ATTEMPTS && mayRetryAfterConflict(expected, actual)) continue;
      throw new WrongExpectedVersionError(streamId, expected, actual ?? 'no_stream');
    }
  };
}
