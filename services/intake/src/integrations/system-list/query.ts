import type { ComplaintEvent, ComplaintKind, ComplaintStatus } from '@lapor/domain';
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

/**
 * One page of a system's complaints, oldest change first (ties by complaint id), numbered from 1, and
 * how many match in all: a range of the `complaints_page` index and its count.
 */
export async function querySystemList(
  db: SqlQueryable,
  filter: SystemListFilter,
  page: number,
  pageSize: number,
): Promise<{ total: number; items: SystemComplaintEntry[] }> {
  const { where, params } = conditions(filter);
  const [counted] = await db.query<{ total: string | number }>(`SELECT count(*) AS total FROM ${SYSTEM_LIST_SCHEMA}.complaints WHERE ${where}`, params);
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
  }>(
    `SELECT complaint_id, tracking_id, external_reference, kind, status, received_at, last_change_at_text, last_change_type, stream_version
     FROM ${SYSTEM_LIST_SCHEMA}.complaints
     WHERE ${where}
     ORDER BY scope, last_change_at, complaint_id
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return {
    total: Number(counted?.total ?? 0),
    items: rows.map((row) => ({
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
