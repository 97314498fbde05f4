import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { INBOX_PROJECTION, INBOX_SCHEMA } from './tables';
import { visibilityOf } from './visibility';

/**
 * The inbox read side as a consumer-kit handler: each event folds the complaint forward, rewrites its
 * row and who sees it, in the caller's transaction (which also records the event as applied).
 */
export function createInboxProjection(deps: { readonly tree: () => OrganisationTree }): EventHandler {
  return {
    name: INBOX_PROJECTION,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const [stored] = await tx.query<{ state: ComplaintState; handled_by: string[]; title: string; description: string }>(
        `SELECT state, handled_by, title, description FROM ${INBOX_SCHEMA}.complaints WHERE complaint_id = $1`,
        [envelope.complaintId],
      );
      const after = complaintDecider.evolve(stored?.state ?? complaintDecider.initialState(), event);
      if (!after.submitted) return;
      const submitted = event.type === 'ComplaintSubmitted' ? event.data : undefined;
      const title = submitted?.title ?? stored?.title ?? '';
      const description = submitted?.description ?? stored?.description ?? '';
      const handledBy = [...new Set([...(stored?.handled_by ?? []), after.holder.id])];
      await tx.query(
        `INSERT INTO ${INBOX_SCHEMA}.complaints (complaint_id, tracking_id, title, description, kind, channel, category, status, anonymous, confidential,
           holder_id, instansi_id, assigned_unit_id, tembusan, handled_by, received_at, received_at_text, updated_at, stream_version, state)
         VALUES ($1, $2, $3, $20, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::json, $14::json, $15::timestamptz, $16, $17, $18, $19::json)
         ON CONFLICT (complaint_id) DO UPDATE SET tracking_id = excluded.tracking_id, title = excluded.title, description = excluded.description, kind = excluded.kind,
           channel = excluded.channel, category = excluded.category, status = excluded.status, anonymous = excluded.anonymous,
           confidential = excluded.confidential, holder_id = excluded.holder_id, instansi_id = excluded.instansi_id,
           assigned_unit_id = excluded.assigned_unit_id, tembusan = excluded.tembusan, handled_by = excluded.handled_by,
           received_at = excluded.received_at, received_at_text = excluded.received_at_text, updated_at = excluded.updated_at,
           stream_version = excluded.stream_version, state = excluded.state`,
        [
          envelope.complaintId,
          after.trackingId,
          title,
          after.kind,
          after.channel,
          after.category,
          after.status,
          after.anonymous,
          after.confidential,
          after.holder.id,
          after.instansiId,
          after.assignedUnit?.id ?? null,
          JSON.stringify(after.tembusan),
          JSON.stringify(handledBy),
          after.receivedAt,
          after.receivedAt,
          event.data.at,
          envelope.streamVersion.toString(),
          JSON.stringify(after),
          description,
        ],
      );
      const seen = visibilityOf({ holderId: after.holder.id, tembusan: after.tembusan, handledBy }, deps.tree());
      await tx.query(`DELETE FROM ${INBOX_SCHEMA}.visibility WHERE complaint_id = $1`, [envelope.complaintId]);
      const nodes = [...seen.keys()].sort();
      if (nodes.length === 0) return;
      const values = nodes.map((_, i) => `($${7 + i * 2}, $1, $${8 + i * 2}, $2::timestamptz, $3, $4, $5, $6)`).join(', ');
      await tx.query(
        `INSERT INTO ${INBOX_SCHEMA}.visibility (node_id, complaint_id, relation, received_at, status, kind, channel, category) VALUES ${values}`,
        [envelope.complaintId, after.receivedAt, after.status, after.kind, after.channel, after.category, ...nodes.flatMap((node) => [node, seen.get(node)!])],
      );
    },
  };
}
