import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { parseComplaintEvent, type ComplaintEvent } from '@lapor/domain';
import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';

// Which node holds each open complaint: the one fact the organisation's administration needs from
// the complaints (a unit is deactivated only when it holds none; a merged or split unit's open
// complaints go to its successor). Folded from the complaint events like any read side, so it can
// be dropped and refilled from the log.

export const HOLDINGS_SCHEMA = 'administration';
const SCHEMA = HOLDINGS_SCHEMA;
export const HOLDINGS_READ_SIDE = 'administration-holdings';

export async function prepareHoldingsTable(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    SCHEMA,
    `CREATE TABLE IF NOT EXISTS ${SCHEMA}.holdings (complaint_id text PRIMARY KEY, holder_id text NOT NULL, open boolean NOT NULL);
     CREATE INDEX IF NOT EXISTS holdings_open_holder ON ${SCHEMA}.holdings (holder_id) WHERE open;`,
  );
}

/** The holder a complaint event leaves, and whether the complaint is still open; null for events that change neither. */
function holdingAfter(event: ComplaintEvent): { holderId?: string; open?: boolean } | null {
  switch (event.type) {
    case 'ComplaintSubmitted':
      return { holderId: event.data.addressedTo.id, open: true };
    case 'ComplaintDisposed':
    case 'ComplaintReturned':
    case 'ComplaintHandedOver':
      return { holderId: event.data.to.id };
    case 'ComplaintArchived':
    case 'ComplaintCompleted':
      return { open: false };
    case 'ComplaintVerified':
    case 'MissingDataRequested':
    case 'MissingDataSupplied':
    case 'AspirationAnswered':
    case 'FollowUpPosted':
    case 'ReporterReplied':
    case 'HandlingRated':
    case 'SlaReminderRecorded':
    case 'SlaBreachRecorded':
      return null;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * The read side. `onHolder` hears each node that just received a complaint (after the transaction
 * that records it is committed, or not at all): a node merged away meanwhile gets it handed on.
 */
export function createHoldingsHandler(onHolder: (nodeId: string) => void): EventHandler {
  return {
    name: HOLDINGS_READ_SIDE,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const change = holdingAfter(event);
      if (change === null) return;
      if (event.type === 'ComplaintSubmitted') {
        await tx.query(`INSERT INTO ${SCHEMA}.holdings (complaint_id, holder_id, open) VALUES ($1, $2, true) ON CONFLICT (complaint_id) DO NOTHING`, [
          envelope.complaintId,
          change.holderId,
        ]);
      } else if (change.holderId !== undefined) {
        await tx.query(`UPDATE ${SCHEMA}.holdings SET holder_id = $2 WHERE complaint_id = $1`, [envelope.complaintId, change.holderId]);
      } else {
        await tx.query(`UPDATE ${SCHEMA}.holdings SET open = false WHERE complaint_id = $1`, [envelope.complaintId]);
      }
      if (change.holderId !== undefined) onHolder(change.holderId);
    },
  };
}

export async function countOpenHeldBy(db: SqlQueryable, nodeId: string): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${SCHEMA}.holdings WHERE open AND holder_id = $1`, [nodeId]);
  return Number(row?.n ?? 0);
}

export async function openHeldBy(db: SqlQueryable, nodeIds: readonly string[]): Promise<Array<{ complaintId: string; holderId: string }>> {
  if (nodeIds.length === 0) return [];
  const rows = await db.query<{ complaint_id: string; holder_id: string }>(
    `SELECT complaint_id, holder_id FROM ${SCHEMA}.holdings WHERE open AND holder_id = ANY($1::text[]) ORDER BY complaint_id`,
    [nodeIds],
  );
  return rows.map((row) => ({ complaintId: row.complaint_id, holderId: row.holder_id }));
}
