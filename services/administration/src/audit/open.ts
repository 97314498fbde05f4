import { LOG_START, type EventStore, type LogPosition, type Subscription } from '@lapor/event-store';
import type { OpenedService } from '@lapor/http-kit';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { auditEntryOf, categoryOwnerOf, type AuditEntry } from './entry';
import { AUDIT_SCHEMA, AUDIT_TRAIL, prepareAuditTables } from './tables';

/** Events of the log the trail may trail by and still count as ready. */
export const AUDIT_READY_WITHIN_EVENTS = 500;
const RETRY_MS = 1_000;

export interface OpenedAuditTrail extends OpenedService {
  /** Where the trail is read. */
  readonly db: SqlRunner;
  /** `'audit-trail': 'ok'` once the trail is within AUDIT_READY_WITHIN_EVENTS of the log's end. */
  readiness(): Promise<Record<string, 'ok' | 'unavailable'>>;
  /** The last readiness found (checked every second once started). */
  lastReadiness(): Record<string, 'ok' | 'unavailable'>;
}

/**
 * The audit trail: a read model of the organisation's, the staff accounts' and the categories' events, fed by the
 * event log in this process (the administration service's, or the gateway's in embedded mode).
 * Each page of the log is one transaction: its rows and the position reached, so a restart neither
 * loses nor repeats an entry.
 */
export async function openAuditTrail(store: EventStore, db: SqlRunner, options: { log: FastifyBaseLogger }): Promise<OpenedAuditTrail> {
  const { log } = options;
  const { reset } = await prepareAuditTables(db);
  if (reset) log.warn('audit trail tables had another shape: dropped; they fill again from the event log');
  let position: LogPosition | undefined;
  let following: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: NodeJS.Timeout | undefined;
  let closed = false;
  let last: 'ok' | 'unavailable' = 'unavailable';
  const readiness = async () => {
    try {
      const behind = (await store.readGlobalLog(position ?? LOG_START, AUDIT_READY_WITHIN_EVENTS + 1)).events.length;
      last = following && behind <= AUDIT_READY_WITHIN_EVENTS ? 'ok' : 'unavailable';
    } catch {
      last = 'unavailable';
    }
    return { [AUDIT_TRAIL]: last };
  };

  const follow = async (): Promise<void> => {
    if (closed) return;
    try {
      position ??= await followedPosition(db);
    } catch (error) {
      log.error({ err: error }, 'audit trail: could not read where it stood; retrying');
      timer = setTimeout(() => void follow(), RETRY_MS);
      return;
    }
    following = store.subscribeToGlobalLog({
      from: position,
      onPage: async (events) => {
        const entries = events.flatMap((event) => auditEntryOf(event) ?? []);
        const owners = events.flatMap((event) => categoryOwnerOf(event) ?? []);
        const reached = events.at(-1)!.logPosition;
        // pages of complaint events alone move the position in memory only: one write per administrative change, not per complaint
        if (entries.length > 0 || owners.length > 0) await db.transaction((tx) => record(tx, entries, owners, reached));
        position = reached;
      },
      onError: (error) => {
        log.error({ err: error }, 'audit trail stopped on an event; it follows again from where it stood');
        const stopped = following;
        timer = setTimeout(() => void stopped?.close().then(follow), RETRY_MS);
      },
    });
  };

  return {
    db,
    readiness,
    lastReadiness: () => ({ [AUDIT_TRAIL]: last }),
    start() {
      void follow();
      checking = setInterval(() => void readiness(), 1_000).unref();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(checking);
      await following?.close();
    },
  };
}

async function followedPosition(db: SqlQueryable): Promise<LogPosition> {
  const [row] = await db.query<{ transaction_id: string | number; position: string | number }>(`SELECT transaction_id, position FROM ${AUDIT_SCHEMA}.followed`);
  return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : LOG_START;
}

async function record(
  tx: SqlQueryable,
  entries: readonly AuditEntry[],
  owners: ReadonlyArray<{ categoryId: string; instansiId: string }>,
  reached: LogPosition,
): Promise<void> {
  // a category's owner first: its rename may be in the same page
  for (const owner of owners)
    await tx.query(`INSERT INTO ${AUDIT_SCHEMA}.category_owners (category_id, instansi_id) VALUES ($1, $2) ON CONFLICT (category_id) DO NOTHING`, [
      owner.categoryId,
      owner.instansiId,
    ]);
  for (const entry of entries) {
    const nodeIds = entry.ownerOfCategory === undefined ? entry.nodeIds : [...entry.nodeIds, ...(await categoryOwner(tx, entry.ownerOfCategory))];
    await tx.query(
      `INSERT INTO ${AUDIT_SCHEMA}.trail (position, at, actor_id, actor_role, actor_node_id, client_address, action, subject, node_ids, detail)
       VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9::text[], $10::jsonb) ON CONFLICT (position) DO NOTHING`,
      [
        entry.position.toString(),
        entry.at,
        entry.actor?.id ?? null,
        entry.actor?.role ?? null,
        entry.actor?.nodeId ?? null,
        entry.clientAddress,
        entry.action,
        entry.subject,
        nodeIds,
        JSON.stringify(entry.detail),
      ],
    );
  }
  await tx.query(
    `INSERT INTO ${AUDIT_SCHEMA}.followed (singleton, transaction_id, position) VALUES (true, $1, $2)
     ON CONFLICT (singleton) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position`,
    [reached.transactionId.toString(), reached.position.toString()],
  );
}

async function categoryOwner(tx: SqlQueryable, categoryId: string): Promise<string[]> {
  const rows = await tx.query<{ instansi_id: string }>(`SELECT instansi_id FROM ${AUDIT_SCHEMA}.category_owners WHERE category_id = $1`, [categoryId]);
  return rows.map((row) => row.instansi_id);
}
