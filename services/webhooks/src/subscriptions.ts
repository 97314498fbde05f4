import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import { SETTLED_HERE } from './outcomes';
import { newSigningSecret } from './signing';
import { WEBHOOKS_CHANNEL, WEBHOOKS_SCHEMA } from './tables';

/** A subscription as its owner sees it (never its secret, after registration). */
export interface SubscriptionView {
  readonly id: string;
  readonly instansiId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly description: string | null;
  readonly status: 'active' | 'paused';
  readonly pausedReason: string | null;
  readonly pausedAt: string | null;
  readonly consecutiveFailures: number;
  readonly failingSince: string | null;
  /** Waiting to go (active) or held (paused). */
  readonly pendingDeliveries: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

interface SubscriptionRow {
  id: string;
  node_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: 'active' | 'paused';
  paused_reason: string | null;
  paused_at: Date | string | null;
  consecutive_failures: number;
  failing_since: Date | string | null;
  pending: string | number;
  created_by: string;
  created_at: Date | string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

const view = (row: SubscriptionRow): SubscriptionView => ({
  id: row.id,
  instansiId: row.node_id,
  url: row.url,
  eventTypes: row.event_types,
  description: row.description,
  status: row.status,
  pausedReason: row.paused_reason,
  pausedAt: iso(row.paused_at),
  consecutiveFailures: Number(row.consecutive_failures),
  failingSince: iso(row.failing_since),
  pendingDeliveries: Number(row.pending),
  createdBy: row.created_by,
  createdAt: iso(row.created_at)!,
});

/** The subscriptions of the webhooks service; who may see which is the routes' business. */
export class Subscriptions {
  private readonly columns: string;

  constructor(
    private readonly db: SqlRunner,
    private readonly schema = WEBHOOKS_SCHEMA,
  ) {
    this.columns = `s.id, s.node_id, s.url, s.event_types, s.description, s.status, s.paused_reason, s.paused_at, s.consecutive_failures, s.failing_since,
      s.created_by, s.created_at,
      (SELECT count(*) FROM ${schema}.deliveries d WHERE d.subscription_id = s.id AND d.status IN ('pending', 'held')) AS pending`;
  }

  /** Registers one; the answer holds its signing secret, which is never shown again. */
  async create(input: {
    id: string;
    nodeId: string;
    url: string;
    eventTypes: string[];
    description: string | null;
    createdBy: string;
  }): Promise<SubscriptionView & { secret: string }> {
    const secret = newSigningSecret();
    await this.db.query(
      `INSERT INTO ${this.schema}.subscriptions (id, node_id, url, event_types, description, secret, created_by) VALUES ($1, $2, $3, $4::text[], $5, $6, $7)`,
      [input.id, input.nodeId, input.url, input.eventTypes, input.description, secret, input.createdBy],
    );
    return { ...(await this.get(input.id))!, secret };
  }

  /** Not deleted; on these nodes, or on any when `nodeIds` is null. */
  async list(nodeIds: readonly string[] | null): Promise<SubscriptionView[]> {
    const rows = await this.db.query<SubscriptionRow>(
      `SELECT ${this.columns} FROM ${this.schema}.subscriptions s
       WHERE s.status <> 'deleted' AND ($1::text[] IS NULL OR s.node_id = ANY($1::text[])) ORDER BY s.created_at, s.id`,
      [nodeIds],
    );
    return rows.map(view);
  }

  async get(id: string, db: SqlQueryable = this.db): Promise<SubscriptionView | undefined> {
    const [row] = await db.query<SubscriptionRow>(`SELECT ${this.columns} FROM ${this.schema}.subscriptions s WHERE s.id = $1 AND s.status <> 'deleted'`, [id]);
    return row ? view(row) : undefined;
  }

  /**
   * Deleted: no more deliveries are queued for it, and those waiting are cancelled (their log is
   * kept); one in flight is settled by its outcome (delivered, or cancelled).
   */
  async delete(id: string, now: string): Promise<{ cancelled: number } | undefined> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query(`SELECT id FROM ${this.schema}.subscriptions WHERE id = $1 AND status <> 'deleted' FOR UPDATE`, [id]);
      if (!locked) return undefined;
      await tx.query(`UPDATE ${this.schema}.subscriptions SET status = 'deleted', deleted_at = $2 WHERE id = $1`, [id, now]);
      const cancelled = await tx.query(
        `UPDATE ${this.schema}.deliveries SET status = 'cancelled' WHERE subscription_id = $1 AND status IN ('pending', 'held') AND ${SETTLED_HERE} RETURNING id`,
        [id, now],
      );
      return { cancelled: cancelled.length };
    });
  }

  /**
   * Active again: its run of failures is forgotten and every held delivery is due at once (each
   * with a fresh count of failures, so the limit per delivery starts over). A no-op when active.
   * Resumed while a delivery is in flight, that one is settled by its outcome.
   */
  async resume(id: string, now: string): Promise<{ subscription: SubscriptionView; released: number; wasPaused: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query<{ status: string }>(`SELECT status FROM ${this.schema}.subscriptions WHERE id = $1 AND status <> 'deleted' FOR UPDATE`, [
        id,
      ]);
      if (!locked) return undefined;
      let released = 0;
      const wasPaused = locked.status === 'paused';
      if (wasPaused) {
        await tx.query(
          `UPDATE ${this.schema}.subscriptions SET status = 'active', paused_reason = NULL, paused_at = NULL, consecutive_failures = 0, failing_since = NULL WHERE id = $1`,
          [id],
        );
        released = (
          await tx.query(
            `UPDATE ${this.schema}.deliveries SET status = 'pending', failures = 0, next_attempt_at = '-infinity'
             WHERE subscription_id = $1 AND status IN ('pending', 'held') AND ${SETTLED_HERE} RETURNING id`,
            [id, now],
          )
        ).length;
        if (released > 0) await tx.query(`SELECT pg_notify($1, '')`, [WEBHOOKS_CHANNEL]);
      }
      return { subscription: (await this.get(id, tx))!, released, wasPaused };
    });
  }

  /** What the dispatcher and a replay need: where it listens and what it wants. */
  async target(id: string): Promise<{ nodeId: string; eventTypes: string[]; url: string } | undefined> {
    const [row] = await this.db.query<{ node_id: string; event_types: string[]; url: string }>(
      `SELECT node_id, event_types, url FROM ${this.schema}.subscriptions WHERE id = $1 AND status <> 'deleted'`,
      [id],
    );
    return row ? { nodeId: row.node_id, eventTypes: row.event_types, url: row.url } : undefined;
  }
}
