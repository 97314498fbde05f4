import { isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintState } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { isPubliclyVisible } from '@lapor/submission';
import { OPEN311_STATUS } from '../mapping';
import { serviceFor } from '../services';
import { PUBLIC_LIST_PROJECTION, PUBLIC_LIST_SCHEMA } from './tables';

/**
 * The public list as a consumer-kit handler: each event folds the complaint forward and rewrites its
 * list row, in the caller's transaction (which also records the event as applied). A complaint the
 * public may not see (confidential, now or since verification; a kind Open311 does not offer) has no
 * row, and loses the one it had.
 */
export function createPublicListProjection(): EventHandler {
  return {
    name: PUBLIC_LIST_PROJECTION,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const [stored] = isFirstEventOfComplaint(envelope)
        ? []
        : await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${PUBLIC_LIST_SCHEMA}.folded WHERE complaint_id = $1`, [envelope.complaintId]);
      const after = complaintDecider.evolve(stored?.state ?? complaintDecider.initialState(), event);
      if (!after.submitted) return;
      await tx.query(
        `INSERT INTO ${PUBLIC_LIST_SCHEMA}.folded (complaint_id, state) VALUES ($1, $2::json)
         ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state`,
        [envelope.complaintId, JSON.stringify(after)],
      );
      if (!isPubliclyVisible(after) || !serviceFor(after.kind)) {
        await tx.query(`DELETE FROM ${PUBLIC_LIST_SCHEMA}.requests WHERE complaint_id = $1`, [envelope.complaintId]);
        return;
      }
      await tx.query(
        `INSERT INTO ${PUBLIC_LIST_SCHEMA}.requests (complaint_id, tracking_id, service_code, status, instansi_id, received_at)
         VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
         ON CONFLICT (complaint_id) DO UPDATE SET tracking_id = excluded.tracking_id, service_code = excluded.service_code,
           status = excluded.status, instansi_id = excluded.instansi_id, received_at = excluded.received_at`,
        [envelope.complaintId, after.trackingId, after.kind, OPEN311_STATUS[after.status], after.instansiId, after.receivedAt],
      );
    },
  };
}
