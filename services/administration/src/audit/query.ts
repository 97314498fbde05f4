import type { SqlQueryable } from '@lapor/sql';
import { AUDIT_SCHEMA } from './tables';

export interface AuditPageRequest {
  /** The nodes whose changes may be shown; null: all (Admin Nasional). */
  readonly scope: readonly string[] | null;
  /** The cursor of the page before: entries older than it. */
  readonly before: bigint | null;
  readonly limit: number;
}

interface Row {
  position: string | number;
  at: Date | string;
  actor_id: string | null;
  actor_role: string | null;
  actor_node_id: string | null;
  client_address: string | null;
  action: string;
  subject: string;
  node_ids: string[];
  detail: Record<string, unknown>;
}

/** A page of the trail, newest first, continued by keyset (the last entry's position), never by offset. */
export async function auditPage(db: SqlQueryable, request: AuditPageRequest) {
  const rows = await db.query<Row>(
    `SELECT position, at, actor_id, actor_role, actor_node_id, client_address, action, subject, node_ids, detail
       FROM ${AUDIT_SCHEMA}.trail
      WHERE ($1::bigint IS NULL OR position < $1::bigint) AND ($2::text[] IS NULL OR node_ids && $2::text[])
      ORDER BY position DESC
      LIMIT $3`,
    [request.before?.toString() ?? null, request.scope, request.limit + 1],
  );
  const page = rows.slice(0, request.limit);
  return {
    entries: page.map((row) => ({
      cursor: String(row.position),
      at: new Date(row.at).toISOString(),
      actor: row.actor_id ? { accountId: row.actor_id, role: row.actor_role ?? '', nodeId: row.actor_node_id } : null,
      clientAddress: row.client_address,
      action: row.action,
      subject: row.subject,
      nodeIds: row.node_ids,
      detail: row.detail,
    })),
    next: rows.length > request.limit ? String(page.at(-1)!.position) : null,
  };
}
