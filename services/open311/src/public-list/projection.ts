import { complaintsStoredBefore, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type Complaint, type ComplaintState } from '@lapor/domain';
import { rowsAsJson, type SqlQueryable } from '@lapor/sql';
import { isPubliclyVisible } from '@lapor/submission';
import { OPEN311_STATUS } from '../mapping';
import { serviceFor } from '../services';
import { PUBLIC_LIST_PROJECTION, PUBLIC_LIST_SCHEMA } from './tables';

const REQUEST_COLUMNS = ['complaint_id', 'tracking_id', 'service_code', 'status', 'instansi_id', 'received_at'] as const;

/**
 * The public list as a consumer-kit handler: each event folds the complaint forward and rewrites its
 * list row, in the caller's transaction (which also records the events as applied). A complaint the
 * public may not see (confidential, now or since verification; a kind Open311 does not offer) has no
 * row, and loses the one it had.
 *
 * A page is written at once: every event of a complaint rewrote the whole row from the state after
 * it, so the row a page leaves is the one its last event of the complaint writes. The page's
 * complaints are folded in memory and written with three statements, however many events they had.
 */
export function createPublicListProjection(options: { schema?: string } = {}): EventHandler {
  const schema = options.schema ?? PUBLIC_LIST_SCHEMA;
  const handlePage = async (events: readonly EventEnvelope[], tx: SqlQueryable): Promise<void> => {
    const stored = await storedStates(tx, schema, complaintsStoredBefore(events));
    for (const envelope of events) {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      stored.set(envelope.complaintId, complaintDecider.evolve(stored.get(envelope.complaintId) ?? complaintDecider.initialState(), event));
    }
    // sorted, so two writers of the list lock its rows in the same order
    const folded = [...new Set(events.map((event) => event.complaintId))]
      .sort()
      .map((complaintId) => stored.get(complaintId)!)
      .filter((state): state is Complaint => state.submitted);
    await writePage(tx, schema, folded);
  };
  return {
    name: PUBLIC_LIST_PROJECTION,
    handle: (envelope, tx) => handlePage([envelope], tx),
    handlePage,
  };
}

async function storedStates(tx: SqlQueryable, schema: string, complaintIds: readonly string[]): Promise<Map<string, ComplaintState>> {
  if (complaintIds.length === 0) return new Map();
  const rows = await tx.query<{ complaint_id: string; state: ComplaintState }>(
    `SELECT complaint_id, state FROM ${schema}.folded WHERE complaint_id = ANY($1::text[])`,
    [complaintIds],
  );
  return new Map(rows.map((row) => [row.complaint_id, row.state]));
}

async function writePage(tx: SqlQueryable, schema: string, folded: readonly Complaint[]): Promise<void> {
  if (folded.length === 0) return;
  await tx.query(
    `INSERT INTO ${schema}.folded (complaint_id, state) SELECT * FROM unnest($1::text[], $2::json[])
     ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state`,
    [folded.map((state) => state.complaintId), folded.map((state) => JSON.stringify(state))],
  );
  const listed = folded.filter((state) => isPubliclyVisible(state) && serviceFor(state.kind));
  const kept = new Set(listed);
  const unlisted = folded.filter((state) => !kept.has(state));
  if (unlisted.length > 0) await tx.query(`DELETE FROM ${schema}.requests WHERE complaint_id = ANY($1::text[])`, [unlisted.map((state) => state.complaintId)]);
  if (listed.length > 0)
    await tx.query(
      `INSERT INTO ${schema}.requests (${REQUEST_COLUMNS.join(', ')})
       SELECT ${REQUEST_COLUMNS.join(', ')} FROM json_populate_recordset(NULL::${schema}.requests, $1::json)
       ON CONFLICT (complaint_id) DO UPDATE SET tracking_id = excluded.tracking_id, service_code = excluded.service_code,
         status = excluded.status, instansi_id = excluded.instansi_id, received_at = excluded.received_at`,
      [
        rowsAsJson(
          REQUEST_COLUMNS,
          listed.map((state) => [state.complaintId, state.trackingId, state.kind, OPEN311_STATUS[state.status], state.instansiId, state.receivedAt]),
        ),
      ],
    );
}
