import type { SqlQueryable } from '@lapor/sql';
import { PUBLIC_LIST_SCHEMA } from './tables';

/** What GET requests.json filters on, checked already (known service codes, an instansi, a window of at most 90 days). */
export interface PublicListFilter {
  readonly serviceCodes?: readonly string[];
  /** open, closed */
  readonly statuses?: readonly string[];
  /** An instansi's complaints only; none (or nasional): every instansi's. */
  readonly instansiId?: string;
  /** Received within, both ends included (milliseconds since the epoch). */
  readonly receivedFrom: number;
  readonly receivedTo: number;
}

/** A listed complaint: enough to read it from its stream. */
export interface PublicListEntry {
  readonly complaintId: string;
  readonly trackingId: string;
}

/**
 * One page of the public list, newest first (ties on receipt by complaint id), numbered from 1:
 * Open311 clients page by number. Bounds go in as epoch milliseconds, so any date the query schema
 * accepts (year 0000 included) is a timestamp PostgreSQL can compare against.
 */
export async function queryPublicListPage(
  db: SqlQueryable,
  filter: PublicListFilter,
  page: number,
  pageSize: number,
): Promise<{ entries: PublicListEntry[]; more: boolean }> {
  const params: unknown[] = [filter.receivedFrom, filter.receivedTo];
  const clauses = ['received_at >= to_timestamp($1::float8 / 1000)', 'received_at <= to_timestamp($2::float8 / 1000)'];
  const add = (clause: (at: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.serviceCodes) add((at) => `service_code = ANY(${at}::text[])`, filter.serviceCodes);
  if (filter.statuses) add((at) => `status = ANY(${at}::text[])`, filter.statuses);
  if (filter.instansiId) add((at) => `instansi_id = ${at}`, filter.instansiId);
  const rows = await db.query<{ complaint_id: string; tracking_id: string }>(
    `SELECT complaint_id, tracking_id FROM ${PUBLIC_LIST_SCHEMA}.requests
     WHERE ${clauses.join(' AND ')}
     ORDER BY received_at DESC, complaint_id DESC
     LIMIT ${pageSize + 1} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  // one row more than the page tells whether there is a next one
  return { entries: rows.slice(0, pageSize).map((row) => ({ complaintId: row.complaint_id, trackingId: row.tracking_id })), more: rows.length > pageSize };
}
