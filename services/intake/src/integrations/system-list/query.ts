import type { ComplaintEvent, ComplaintKind, ComplaintStatus } from '@lapor/domain';
import { decodeKeyCursor, encodeKeyCursor } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import { SYSTEM_LIST_SCHEMA } from './tables';

/** What GET /integrations/complaints filters on, checked already. */
export interface SystemListFilter {
  /** integrationScope of the calling system: its instansi's, or its own key's. */
  readonly scope: string;
  readonly status?: ComplaintStatus;
  /** Changed at or after (milliseconds since the epoch). */
  readonly updatedSince?: number;
}

/** A complaint an integrating system sent, as its own list shows it: no reporter, nothing written. */
export interface SystemComplaintEntry {
  readonly complaintId: string;
  readonly trackingId: string;
  readonly externalReference: string | null;
  readonly kind: ComplaintKind;
  readonly status: ComplaintStatus;
  readonly receivedAt: string;
  readonly lastChange: { readonly at: string; readonly type: ComplaintEvent['type'] };
  readonly version: bigint;
}

function conditions(filter: SystemListFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.scope];
  const clauses = ['scope = $1'];
  if (filter.status) {
    params.push(filter.status);
    clauses.push(`status = $${params.length}`);
  }
  if (filter.updatedSince !== undefined) {
    // as epoch milliseconds, so any instant the query schema accepts is one PostgreSQL can compare against
    params.push(filter.updatedSince);
    clauses.push(`last_change_at >= to_timestamp($${params.length}::float8 / 1000)`);
  }
  return { where: clauses.join(' AND '), params };
}

/** Where a page ends: its last complaint's change (epoch milliseconds) and id, the order's key. */
export interface SystemListKey {
  readonly changedAtMs: number;
  readonly complaintId: string;
}

/** The key as a `cursor` (opaque to clients), and back; null when it is not one of ours. */
export const encodeSystemListCursor = (key: SystemListKey): string => encodeKeyCursor(`${key.changedAtMs} ${key.complaintId}`);
export function decodeSystemListCursor(cursor: string): SystemListKey | null {
  const match = /^(\d{1,15}) (\S{1,200})$/.exec(decodeKeyCursor(cursor) ?? '');
  return match ? { changedAtMs: Number(match[1]), complaintId: match[2]! } : null;
}

/**
 * One page of a system's complaints, oldest change first (ties by complaint id): after a cursor's
 * key, or numbered from 1 (the older way); how many match in all; and the key the page ends on when
 * there is more. A range of the `complaints_page` index and its count.
 */
export async function querySystemList(
  db: SqlQueryable,
  filter: SystemListFilter,
  at: { readonly after: SystemListKey } | { readonly page: number },
  pageSize: number,
): Promise<{ total: number; items: SystemComplaintEntry[]; next: SystemListKey | null }> {
  const { where, params } = conditions(filter);
  const [counted] = await db.query<{ total: string | number }>(`SELECT count(*) AS total FROM ${SYSTEM_LIST_SCHEMA}.complaints WHERE ${where}`, params);
  const offset = 'page' in at ? (at.page - 1) * pageSize : 0;
  const after = 'after' in at ? [at.after.changedAtMs, at.after.complaintId] : [];
  const keyset = 'after' in at ? ` AND (last_change_at, complaint_id) > (to_timestamp($${params.length + 1}::float8 / 1000), $${params.length + 2})` : '';
  const rows = await db.query<{
    complaint_id: string;
    tracking_id: string;
    external_reference: string | null;
    kind: ComplaintKind;
    status: ComplaintStatus;
    received_at: string;
    last_change_at_text: string;
    last_change_type: ComplaintEvent['type'];
    stream_version: string | number;
    changed_at_ms: string | number;
  }>(
    `SELECT complaint_id, tracking_id, external_reference, kind, status, received_at, last_change_at_text, last_change_type, stream_version,
            (extract(epoch FROM last_change_at) * 1000)::bigint AS changed_at_ms
     FROM ${SYSTEM_LIST_SCHEMA}.complaints
     WHERE ${where}${keyset}
     ORDER BY scope, last_change_at, complaint_id
     LIMIT ${pageSize + 1} OFFSET ${offset}`,
    [...params, ...after],
  );
  // one row more than the page tells whether there is a next one
  const last = rows.length > pageSize ? rows[pageSize - 1] : undefined;
  return {
    total: Number(counted?.total ?? 0),
    next: last ? { changedAtMs: Number(last.changed_at_ms), complaintId: last.complaint_id } : null,
    items: rows.slice(0, pageSize).map((row) => ({
      complaintId: row.complaint_id,
      trackingId: row.tracking_id,
      externalReference: row.external_reference,
      kind: row.kind,
      status: row.status,
      receivedAt: row.received_at,
      lastChange: { at: row.last_change_at_text, type: row.last_change_type },
      version: BigInt(row.stream_version),
    })),
  };
}
