import { plannedPerCall, type SqlQueryable } from '@lapor/sql';
import { resolveSearch, searchMatches, type ResolvedSearch } from './search';
import { INBOX_SCHEMA } from './tables';
import type { InboxRelation } from './visibility';

export interface InboxFilter {
  readonly status?: string;
  readonly kind?: string;
  readonly channel?: string;
  readonly category?: string;
  /** Received on or after / before (ISO instants). */
  readonly from?: string;
  readonly to?: string;
  /**
   * Words to search for in the title and description (Indonesian stemming: "jalan-jalan berlubang"
   * finds "lubang di jalan"), a part of a tracking id, or a title word typed with a typo. Never the
   * reporter's identity: the read model does not hold it.
   */
  readonly search?: string;
}

/** Where a page ends: the last item's receipt and id (ties on receipt are ordered by id). */
export interface InboxCursor {
  readonly receivedAt: string;
  readonly complaintId: string;
}

export interface InboxRow {
  readonly complaintId: string;
  readonly trackingId: string;
  readonly title: string;
  readonly kind: string;
  readonly status: string;
  readonly relation: InboxRelation;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly version: bigint;
}

export const encodeCursor = (cursor: InboxCursor): string => Buffer.from(JSON.stringify([cursor.receivedAt, cursor.complaintId])).toString('base64url');

/** Null for anything this code did not hand out. */
export function decodeCursor(text: string): InboxCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString());
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [receivedAt, complaintId] = parsed as unknown[];
    if (typeof receivedAt !== 'string' || typeof complaintId !== 'string' || Number.isNaN(Date.parse(receivedAt))) return null;
    return { receivedAt, complaintId };
  } catch {
    return null;
  }
}

/**
 * How a search meets a node's scope. 'narrow' (a unit: a few thousand complaints at most): walk the
 * node's index range and check each complaint by its key. 'wide' (an instansi, Admin Nasional:
 * up to the whole country): find the matching complaints through the search indexes, then keep
 * those the node sees; checking every row of a national range one by one took a second at 100,000.
 * A wide search looks newest first, one window of receipt time after another (WideSearchWindows),
 * so it finds what a page or a capped total needs, not every match in the country.
 */
/**
 * 'everything' (the root): the matches found in searchable without "seen by", newest first as the
 * planner finds best (a common word: a walk down the receipt index checking each row, stopping at
 * the page; a rare one: the match index), each kept if the node has a row for it, which keeps it
 * exact for any node.
 */
export type SearchScope = 'narrow' | 'wide' | 'everything';

/**
 * The scope a node searches with: 'wide' for every node since searchable holds who sees each
 * complaint inside its GIN index. A unit's walk checked each of its complaints (about 5,000 at a
 * million: 20,000 buffers for a common word, read-side-plans.md) where the index finds its matches
 * alone. The root (Admin Nasional) sees every complaint: "seen by nasional" is every entry of its
 * posting list, read whole for each window and for the total (half of a common word's 500 ms at a
 * million), and it narrows nothing; 'everything' leaves it out.
 */
export const searchScopeOf = (kind: string | undefined): SearchScope => (kind === 'nasional' ? 'everything' : 'wide');

/**
 * The windows a wide search looks through: the first reaches `firstMs` back from the newest
 * complaint (or the cursor), each next one reaches further back, sized by how many matches the
 * ones before found per millisecond, at most `growth` times the one before. A window is the match
 * index and the receipt index together (a bitmap AND), so its cost is the matches inside it.
 */
export interface WideSearchWindows {
  readonly firstMs: number;
  readonly growth: number;
  /** The first window reaches back at least as far as the newest this many complaints do. */
  readonly firstComplaints?: number;
}

/**
 * A week, or the newest 10,000 complaints if they reach further back, first: at a million
 * complaints a common word matches a few hundred of them a week, a page's worth; with fewer
 * complaints a week holds few matches, and each window is a round trip and its own index scans, so
 * the first window holds as many complaints as a week holds at national scale.
 */
export const WIDE_SEARCH_WINDOWS: WideSearchWindows = { firstMs: 7 * 86_400_000, growth: 8, firstComplaints: 10_000 };

/** Received in [from, before): windows never overlap, so a receipt time is in exactly one. */
interface ReceiptWindow {
  readonly from: string;
  readonly before: string;
}

/** The alias whose receipt time and id a page is bounded and ordered by (the same values either way). */
const orderedBy = (scope: SearchScope, search: ResolvedSearch | null): 's' | 'v' => (scope === 'everything' && search ? 's' : 'v');

function conditions(
  nodeId: string,
  filter: InboxFilter,
  search: ResolvedSearch | null,
  cursor: InboxCursor | null,
  scope: SearchScope = 'narrow',
  window?: ReceiptWindow,
): { where: string; params: unknown[]; from: string } {
  const params: unknown[] = [nodeId];
  const clauses = ['v.node_id = $1'];
  let from = `${INBOX_SCHEMA}.visibility v`;
  const add = (clause: (at: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.status) add((at) => `v.status = ${at}`, filter.status);
  if (filter.kind) add((at) => `v.kind = ${at}`, filter.kind);
  if (filter.channel) add((at) => `v.channel = ${at}`, filter.channel);
  if (filter.category) add((at) => `v.category = ${at}`, filter.category);
  // the root's search walks searchable's receipt index: its bounds and order are on searchable's column
  const at = orderedBy(scope, search);
  if (filter.from) add((value) => `${at}.received_at >= ${value}::timestamptz`, filter.from);
  if (filter.to) add((value) => `${at}.received_at < ${value}::timestamptz`, filter.to);
  if (search) {
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const matches = (s: string) => searchMatches(s, search, param);
    if (scope === 'wide' || scope === 'everything') {
      // the words and "seen by this node" in one GIN index over searchable, then the node's rows of what it found
      // the node's row looked up per match (OFFSET 0 keeps the planner from joining the node's whole
      // list by hash instead: a seq scan of Admin Nasional's million rows for a few hundred matches)
      from = `${INBOX_SCHEMA}.searchable s CROSS JOIN LATERAL (SELECT * FROM ${INBOX_SCHEMA}.visibility x WHERE x.node_id = $1 AND x.complaint_id = s.complaint_id OFFSET 0) v`;
      clauses.push(matches('s'));
      if (scope === 'wide') clauses.push(`s.seen_by @> ARRAY[$1]::text[]`);
      if (window) {
        const [from, before] = [`${param(window.from)}::timestamptz`, `${param(window.before)}::timestamptz`];
        clauses.push(`s.received_at >= ${from} AND s.received_at < ${before}`);
      }
    } else {
      clauses.push(`EXISTS (SELECT 1 FROM ${INBOX_SCHEMA}.complaints s WHERE s.complaint_id = v.complaint_id AND ${matches('s')})`);
    }
  }
  if (cursor) {
    params.push(cursor.receivedAt, cursor.complaintId);
    clauses.push(`(${at}.received_at, ${at}.complaint_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  return { where: clauses.join(' AND '), params, from };
}

/** A search's statement is planned for its words at each call (PLANNED_PER_CALL); any other is prepared once. */
const plannedIf = (search: boolean, sql: string): string => (search ? plannedPerCall(sql) : sql);

/** One page of a node's inbox, newest first, after `cursor`; `nextCursor` is null on the last page. */
export async function queryInboxPage(
  db: SqlQueryable,
  nodeId: string,
  filter: InboxFilter,
  cursor: InboxCursor | null,
  pageSize: number,
  scope: SearchScope = 'narrow',
  windows: WideSearchWindows = WIDE_SEARCH_WINDOWS,
): Promise<{ items: InboxRow[]; nextCursor: string | null }> {
  let rows: InboxRow[] = [];
  const search = filter.search ? await resolveSearch(db, filter.search) : null;
  if (scope === 'wide' && search) {
    // newest window first: the rows of one window all come before the next one's
    await throughWindows(
      db,
      filter,
      cursor,
      windows,
      async (window) => {
        rows = rows.concat(await pageRows(db, nodeId, filter, search, cursor, pageSize + 1 - rows.length, scope, window));
        return rows.length;
      },
      pageSize + 1,
    );
  } else {
    rows = await pageRows(db, nodeId, filter, search, cursor, pageSize + 1, scope);
  }
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  const nextCursor = rows.length > pageSize && last ? encodeCursor({ receivedAt: last.receivedAt, complaintId: last.complaintId }) : null;
  return { items, nextCursor };
}

/**
 * Calls `look` with each window of receipt time, newest first, until it answers `enough` (what it
 * has found so far) or the windows have passed the oldest complaint the filter admits.
 */
async function throughWindows(
  db: SqlQueryable,
  filter: InboxFilter,
  cursor: InboxCursor | null,
  windows: WideSearchWindows,
  look: (window: ReceiptWindow) => Promise<number>,
  enough: number,
): Promise<void> {
  const [bounds] = await db.query<{ oldest: string | number | null; newest: string | number | null }>(
    `SELECT floor(extract(epoch FROM min(received_at)) * 1000) AS oldest, ceil(extract(epoch FROM max(received_at)) * 1000) AS newest FROM ${INBOX_SCHEMA}.complaints`,
  );
  if (bounds?.oldest == null || bounds.newest == null) return;
  const oldest = Math.max(Number(bounds.oldest), filter.from ? Date.parse(filter.from) : -Infinity);
  const newest = Math.min(Number(bounds.newest), cursor ? Date.parse(cursor.receivedAt) : Infinity, filter.to ? Date.parse(filter.to) : Infinity);
  let span = windows.firstMs;
  if (windows.firstComplaints) {
    const [reach] = await db.query<{ at: string | number }>(
      `SELECT floor(extract(epoch FROM received_at) * 1000) AS at FROM ${INBOX_SCHEMA}.searchable
       WHERE received_at <= to_timestamp($1::double precision / 1000) ORDER BY received_at DESC OFFSET $2::integer LIMIT 1`,
      [newest, windows.firstComplaints - 1],
    );
    span = Math.max(span, reach ? newest - Number(reach.at) : Infinity);
  }
  // the first window is open above: nothing newer than the newest can be missed
  let before = Infinity;
  let from = Math.max(newest - span, oldest);
  for (;;) {
    const found = await look({ from: new Date(from).toISOString(), before: before === Infinity ? 'infinity' : new Date(before).toISOString() });
    if (found >= enough || from <= oldest) return;
    // sized by the rate so far (what is still needed, half as much again), within growth of the last
    const covered = newest - from;
    const wanted = found > 0 ? ((enough - found) / found) * covered * 1.5 : Infinity;
    span = Math.max(span, Math.min(wanted, span * windows.growth));
    before = from;
    from = Math.max(from - span, oldest);
  }
}

/** The rows of one statement: the node's index range (in one window of a wide search) up to `limit`. */
async function pageRows(
  db: SqlQueryable,
  nodeId: string,
  filter: InboxFilter,
  search: ResolvedSearch | null,
  cursor: InboxCursor | null,
  limit: number,
  scope: SearchScope,
  window?: ReceiptWindow,
): Promise<InboxRow[]> {
  const { where, params, from } = conditions(nodeId, filter, search, cursor, scope, window);
  const at = orderedBy(scope, search);
  const rows = await db.query<{
    complaint_id: string;
    tracking_id: string;
    title: string;
    kind: string;
    status: string;
    relation: InboxRelation;
    received_at_text: string;
    updated_at: string;
    stream_version: string | number;
  }>(
    // the page is found in the node's index range alone, and only its rows are joined to their complaints;
    // a search is planned for its own words each time (a generic plan walked 10,000 rows for a common one)
    plannedIf(
      search !== null,
      `SELECT c.complaint_id, c.tracking_id, c.title, c.kind, c.status, p.relation, c.received_at_text, c.updated_at, c.stream_version
     FROM (SELECT ${at}.complaint_id, v.relation, ${at}.received_at FROM ${from}
           WHERE ${where}
           ORDER BY ${at}.received_at DESC, ${at}.complaint_id DESC
           LIMIT ${limit}) p
     JOIN ${INBOX_SCHEMA}.complaints c ON c.complaint_id = p.complaint_id
     ORDER BY p.received_at DESC, p.complaint_id DESC`,
    ),
    params,
  );
  return rows.map((row) => ({
    complaintId: row.complaint_id,
    trackingId: row.tracking_id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    relation: row.relation,
    receivedAt: row.received_at_text,
    updatedAt: row.updated_at,
    version: BigInt(row.stream_version),
  }));
}

/**
 * With a period, counted exactly up to this many; past it a total says "at least": such a count is a
 * walk over the node's index range, and Admin Nasional's range is the whole country (a million rows
 * take a second to count, ten thousand a few milliseconds). Nobody pages through ten thousand
 * complaints; they filter. Without a period or a search the total comes exact from the counts.
 */
export const INBOX_COUNTED_UP_TO = 10_000;

/**
 * A search's total is exact up to this many: a common word matches tens of thousands of complaints
 * in the country, each counted from its row (a million complaints: 10,000 matches took 100 ms and
 * more, a thousand a few). Past it, "more than 1,000" tells staff to add a word or a filter.
 */
export const INBOX_SEARCH_COUNTED_UP_TO = 1_000;

/**
 * How many complaints the node's inbox lists under the filter. Under status, kind, channel and
 * category alone it is summed from visibility_counts: exact at any size, `upTo` aside. With a period
 * or a search it is counted from the rows, no further than `upTo`.
 */
export async function countInbox(
  db: SqlQueryable,
  nodeId: string,
  filter: InboxFilter,
  upTo = INBOX_COUNTED_UP_TO,
  scope: SearchScope = 'narrow',
): Promise<{ total: number; exact: boolean }> {
  if (!filter.search && !filter.from && !filter.to) return { total: await sumCounts(db, nodeId, filter), exact: true };
  const limit = Math.trunc(upTo) + 1;
  const search = filter.search ? await resolveSearch(db, filter.search) : null;
  const n = await countRows(db, nodeId, filter, search, limit, scope);
  return n > upTo ? { total: upTo, exact: false } : { total: n, exact: true };
}

/**
 * One statement, however wide: a wide search with no equality filter counts searchable's index
 * entries alone (text match and "seen by" inside one GIN index, no row read while the pages are
 * all-visible); otherwise the node's rows, as a page finds them, up to `limit`.
 */
async function countRows(
  db: SqlQueryable,
  nodeId: string,
  filter: InboxFilter,
  search: ResolvedSearch | null,
  limit: number,
  scope: SearchScope,
): Promise<number> {
  let statement: { sql: string; params: unknown[] };
  if (scope === 'wide' && search && !filter.status && !filter.kind && !filter.channel && !filter.category) {
    const params: unknown[] = [nodeId];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const clauses = [searchMatches('s', search, param), `s.seen_by @> ARRAY[$1]::text[]`];
    if (filter.from) clauses.push(`s.received_at >= ${param(filter.from)}::timestamptz`);
    if (filter.to) clauses.push(`s.received_at < ${param(filter.to)}::timestamptz`);
    statement = { sql: `SELECT 1 FROM ${INBOX_SCHEMA}.searchable s WHERE ${clauses.join(' AND ')}`, params };
  } else {
    const { where, params, from } = conditions(nodeId, filter, search, null, scope);
    statement = { sql: `SELECT 1 FROM ${from} WHERE ${where}`, params };
  }
  const [row] = await db.query<{ n: string | number }>(
    plannedIf(search !== null, `SELECT count(*) AS n FROM (${statement.sql} LIMIT ${limit}) counted`),
    statement.params,
  );
  return Number(row?.n ?? 0);
}

/** The node's rows under equality filters, from their counts: a few rows per filter value, not one per complaint. */
async function sumCounts(db: SqlQueryable, nodeId: string, filter: InboxFilter): Promise<number> {
  const params: unknown[] = [nodeId];
  const clauses = ['node_id = $1'];
  for (const column of ['status', 'kind', 'channel', 'category'] as const) {
    const value = filter[column];
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  const [row] = await db.query<{ n: string | number | null }>(
    `SELECT sum(n) AS n FROM ${INBOX_SCHEMA}.visibility_counts WHERE ${clauses.join(' AND ')}`,
    params,
  );
  return Number(row?.n ?? 0);
}
