import { inKeyOrder, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { parseComplaintEvent, type ComplaintEvent } from '@lapor/domain';
import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';

// Which node holds each open complaint: the one fact the organisation's administration needs from
// the complaints (a unit is deactivated only when it holds none; a merged or split unit's open
// complaints go to its successor). Folded from the complaint events like any read side, so it can
// be dropped and refilled from the log.

export const HOLDINGS_SCHEMA = 'administration';
const SCHEMA = HOLDINGS_SCHEMA;
export const HOLDINGS_READ_SIDE = 'administration-holdings';

export const holdingsDdl = (schema: string): string =>
  `CREATE TABLE IF NOT EXISTS ${schema}.holdings (complaint_id text PRIMARY KEY, holder_id text NOT NULL, open boolean NOT NULL);
   CREATE INDEX IF NOT EXISTS holdings_open_holder ON ${schema}.holdings (holder_id) WHERE open;`;

export async function prepareHoldingsTable(db: SqlRunner): Promise<void> {
  await ensureSchema(db, SCHEMA, holdingsDdl(SCHEMA));
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
 *
 * A page is written with two statements however many events it holds: the submissions inserted as
 * they were submitted, then each complaint's later changes in the page, folded (the last holder, the
 * last open or closed), applied to its row. That leaves what one statement per event left.
 */
export function createHoldingsHandler(onHolder: (nodeId: string) => void, options: { schema?: string } = {}): EventHandler {
  const schema = options.schema ?? SCHEMA;
  const handlePage = async (events: readonly EventEnvelope[], tx: SqlQueryable): Promise<void> => {
    const submitted = new Map<string, string>();
    const changed = new Map<string, { holderId?: string; open?: boolean }>();
    const holders: string[] = [];
    for (const envelope of events) {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const change = holdingAfter(event);
      if (change === null) continue;
      if (event.type === 'ComplaintSubmitted') submitted.set(envelope.complaintId, change.holderId!);
      else changed.set(envelope.complaintId, { ...changed.get(envelope.complaintId), ...change });
      if (change.holderId !== undefined) holders.push(change.holderId);
    }
    // sorted, so two writers of the table lock its rows in the same order
    const inserted = inKeyOrder(submitted);
    if (inserted.length > 0)
      await tx.query(
        `INSERT INTO ${schema}.holdings (complaint_id, holder_id, open) SELECT complaint_id, holder_id, true FROM unnest($1::text[], $2::text[]) AS s(complaint_id, holder_id)
         ON CONFLICT (complaint_id) DO NOTHING`,
        [inserted.map(([complaintId]) => complaintId), inserted.map(([, holderId]) => holderId)],
      );
    const updated = inKeyOrder(changed);
    if (updated.length > 0)
      await tx.query(
        `UPDATE ${schema}.holdings h SET holder_id = coalesce(c.holder_id, h.holder_id), open = coalesce(c.open, h.open)
         FROM unnest($1::text[], $2::text[], $3::boolean[]) AS c(complaint_id, holder_id, open) WHERE h.complaint_id = c.complaint_id`,
        [updated.map(([complaintId]) => complaintId), updated.map(([, c]) => c.holderId ?? null), updated.map(([, c]) => c.open ?? null)],
      );
    for (const holderId of holders) onHolder(holderId);
  };
  return {
    name: HOLDINGS_READ_SIDE,
    handle: (envelope, tx) => handlePage([envelope], tx),
    handlePage,
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
