import { inKeyOrder, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintState } from '@lapor/domain';
import { rowsAsJson, type SqlQueryable } from '@lapor/sql';
import { integrationScope } from '@lapor/submission';
import { SYSTEM_LIST_PROJECTION, SYSTEM_LIST_SCHEMA } from './tables';

/** What a listed complaint's next event is folded onto: who sent it, under which reference, and where it stood. */
interface Listed {
  readonly scope: string;
  readonly externalReference: string | null;
  readonly state: ComplaintState;
}

const COLUMNS = [
  'complaint_id',
  'scope',
  'tracking_id',
  'external_reference',
  'kind',
  'status',
  'received_at',
  'last_change_at_text',
  'last_change_at',
  'last_change_type',
  'stream_version',
  'state',
] as const;

async function listedAmong(tx: SqlQueryable, schema: string, complaintIds: readonly string[]): Promise<Map<string, Listed>> {
  if (complaintIds.length === 0) return new Map();
  const rows = await tx.query<{ complaint_id: string; scope: string; external_reference: string | null; state: ComplaintState }>(
    `SELECT complaint_id, scope, external_reference, state FROM ${schema}.complaints WHERE complaint_id = ANY($1::text[])`,
    [complaintIds],
  );
  return new Map(rows.map((row) => [row.complaint_id, { scope: row.scope, externalReference: row.external_reference, state: row.state }]));
}

/**
 * The systems' list as a consumer-kit handler: a complaint's first event says who sent it, and only
 * an integrating system's complaint gets a row; each later event folds it forward and rewrites the
 * row (its status, its last change, its version), in the caller's transaction, which also records
 * the events as applied. A page looks its complaints up with one statement, so another complaint's
 * later events cost a share of it, and are not even parsed; the rows the page changed are written
 * with one more, each as its last event of the page left it.
 */
export function createSystemListProjection(options: { schema?: string } = {}): EventHandler {
  const schema = options.schema ?? SYSTEM_LIST_SCHEMA;
  const handlePage = async (events: readonly EventEnvelope[], tx: SqlQueryable): Promise<void> => {
    const laterOnes = events.filter((event) => event.type !== 'ComplaintSubmitted').map((event) => event.complaintId);
    const listed = await listedAmong(tx, schema, [...new Set(laterOnes)]);
    const rows = new Map<string, unknown[]>();
    for (const envelope of events) {
      const before = envelope.type === 'ComplaintSubmitted' ? undefined : listed.get(envelope.complaintId);
      if (envelope.type !== 'ComplaintSubmitted' && !before) continue;
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      let entry: Listed;
      if (event.type === 'ComplaintSubmitted') {
        const scope = integrationScope(event.data.by);
        if (scope === null) continue;
        entry = { scope, externalReference: event.data.externalReference, state: complaintDecider.initialState() };
      } else entry = before!;
      const after = complaintDecider.evolve(entry.state, event);
      if (!after.submitted) continue;
      listed.set(envelope.complaintId, { ...entry, state: after });
      rows.set(envelope.complaintId, [
        envelope.complaintId,
        entry.scope,
        after.trackingId,
        entry.externalReference,
        after.kind,
        after.status,
        after.receivedAt,
        event.data.at,
        // to the millisecond, as the list has always compared changes (Date.parse)
        new Date(Date.parse(event.data.at)).toISOString(),
        event.type,
        envelope.streamVersion.toString(),
        after,
      ]);
    }
    if (rows.size === 0) return;
    // sorted, so two writers of the list lock its rows in the same order
    const sorted = inKeyOrder(rows).map(([, row]) => row);
    await tx.query(
      `INSERT INTO ${schema}.complaints (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::${schema}.complaints, $1::json)
       ON CONFLICT (complaint_id) DO UPDATE SET scope = excluded.scope, tracking_id = excluded.tracking_id,
         external_reference = excluded.external_reference, kind = excluded.kind, status = excluded.status, received_at = excluded.received_at,
         last_change_at_text = excluded.last_change_at_text, last_change_at = excluded.last_change_at, last_change_type = excluded.last_change_type,
         stream_version = excluded.stream_version, state = excluded.state`,
      [rowsAsJson(COLUMNS, sorted)],
    );
  };
  return {
    name: SYSTEM_LIST_PROJECTION,
    handle: (envelope, tx) => handlePage([envelope], tx),
    handlePage,
  };
}
