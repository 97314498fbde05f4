import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintState } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { integrationScope } from '@lapor/submission';
import { SYSTEM_LIST_PROJECTION, SYSTEM_LIST_SCHEMA } from './tables';

/** What a listed complaint's next event is folded onto: who sent it, under which reference, and where it stood. */
interface Listed {
  readonly scope: string;
  readonly externalReference: string | null;
  readonly state: ComplaintState;
}

async function listed(tx: SqlQueryable, complaintId: string): Promise<Listed | undefined> {
  const [row] = await tx.query<{ scope: string; external_reference: string | null; state: ComplaintState }>(
    `SELECT scope, external_reference, state FROM ${SYSTEM_LIST_SCHEMA}.complaints WHERE complaint_id = $1`,
    [complaintId],
  );
  return row && { scope: row.scope, externalReference: row.external_reference, state: row.state };
}

/**
 * The systems' list as a consumer-kit handler: a complaint's first event says who sent it, and only
 * an integrating system's complaint gets a row; each later event folds it forward and rewrites the
 * row (its status, its last change, its version), in the caller's transaction, which also records
 * the event as applied. Another complaint's later events cost one primary-key look-up that finds
 * nothing, and are not even parsed.
 */
export function createSystemListProjection(): EventHandler {
  return {
    name: SYSTEM_LIST_PROJECTION,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const before = envelope.type === 'ComplaintSubmitted' ? undefined : await listed(tx, envelope.complaintId);
      if (envelope.type !== 'ComplaintSubmitted' && !before) return;
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      let entry: Listed;
      if (event.type === 'ComplaintSubmitted') {
        const scope = integrationScope(event.data.by);
        if (scope === null) return;
        entry = { scope, externalReference: event.data.externalReference, state: complaintDecider.initialState() };
      } else entry = before!;
      const after = complaintDecider.evolve(entry.state, event);
      if (!after.submitted) return;
      await tx.query(
        `INSERT INTO ${SYSTEM_LIST_SCHEMA}.complaints (complaint_id, scope, tracking_id, external_reference, kind, status, received_at,
           last_change_at_text, last_change_at, last_change_type, stream_version, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9::float8 / 1000), $10, $11, $12::json)
         ON CONFLICT (complaint_id) DO UPDATE SET scope = excluded.scope, tracking_id = excluded.tracking_id,
           external_reference = excluded.external_reference, kind = excluded.kind, status = excluded.status, received_at = excluded.received_at,
           last_change_at_text = excluded.last_change_at_text, last_change_at = excluded.last_change_at, last_change_type = excluded.last_change_type,
           stream_version = excluded.stream_version, state = excluded.state`,
        [
          envelope.complaintId,
          entry.scope,
          after.trackingId,
          entry.externalReference,
          after.kind,
          after.status,
          after.receivedAt,
          event.data.at,
          // to the millisecond, as the list has always compared changes (Date.parse)
          Date.parse(event.data.at),
          event.type,
          envelope.streamVersion.toString(),
          JSON.stringify(after),
        ],
      );
    },
  };
}
