import {
  countInbox,
  decodeCursor,
  INBOX_COUNTED_UP_TO,
  INBOX_SEARCH_COUNTED_UP_TO,
  queryInboxPage,
  searchScopeOf,
  WIDE_SEARCH_WINDOWS,
  type InboxFilter,
  type WideSearchWindows,
} from '@lapor/follow-up';
import type { SqlQueryable } from '@lapor/sql';
import { measureLatency, type Latency } from '../statistics/latency';
import type { BenchOrganisation } from '../statistics/organisation';
import { COMMON_QUERY, MIXED_QUERY } from './texts';

// What staff ask the inbox for, timed one request at a time: the first page and filtered pages for
// a unit, its instansi and Admin Nasional (who sees every complaint), alone and with the total
// beside it as GET /inbox asks for both; and a page deep in the list, to show keyset paging does
// not slow down with depth; and search over title, description and tracking id, scoped the same way.

const PAGE = 50; // GET /inbox's default page size
const SAMPLES = 200;
const BUDGET_MS = 30_000;
const PAGE_P99_MS = 50;
const SEARCH_P99_MS = 100;

export interface InboxCase {
  readonly label: string;
  readonly run: () => Promise<unknown>;
  /** The p99 the issue sets for it, when it sets one. */
  readonly targetMs?: number;
}

export interface Measured {
  readonly label: string;
  readonly latency: Latency;
  readonly targetMs?: number;
}

const heaviest = (cumulative: readonly number[]): number => {
  const weights = cumulative.map((sum, index) => sum - (cumulative[index - 1] ?? 0));
  return weights.indexOf(Math.max(...weights));
};

/** The heaviest instansi by the organisation's weights, and its busiest unit: the same nodes at every size. */
function busiest(org: BenchOrganisation): { instansi: string; unit: string } {
  const instansi = org.instansi[heaviest(org.instansiWeights)]!;
  return { instansi: instansi.id, unit: instansi.units[heaviest(org.unitWeights)]! };
}

export function inboxCases(db: SqlQueryable, org: BenchOrganisation): InboxCase[] {
  const { instansi, unit } = busiest(org);
  const scopes: [string, string][] = [
    [`unit ${unit}`, unit],
    [`instansi ${instansi}`, instansi],
    ['Admin Nasional', 'nasional'],
  ];
  // as GET /inbox meets a search with the caller's node
  const scopeOf = (nodeId: string) => searchScopeOf(nodeId === 'nasional' ? 'nasional' : nodeId === instansi ? 'instansi' : 'unit');
  const page = (nodeId: string, filter: InboxFilter, windows = WIDE_SEARCH_WINDOWS) => queryInboxPage(db, nodeId, filter, null, PAGE, scopeOf(nodeId), windows);
  // a total is one statement whatever the scope (no windows), counted as far as GET /inbox counts it
  const total = (nodeId: string, filter: InboxFilter) =>
    countInbox(db, nodeId, filter, filter.search ? INBOX_SEARCH_COUNTED_UP_TO : INBOX_COUNTED_UP_TO, scopeOf(nodeId));
  const filters: [string, InboxFilter][] = [
    ['first page', {}],
    ['filtered page (status PROSES)', { status: 'PROSES' }],
    ['filtered page (kind aspirasi)', { kind: 'aspirasi' }],
  ];
  const cases: InboxCase[] = [];
  for (const [who, nodeId] of scopes) {
    for (const [what, filter] of filters) {
      cases.push({ label: `inbox ${who}, ${what}, page alone`, run: () => page(nodeId, filter) });
      cases.push({
        label: `inbox ${who}, ${what}, page + total (GET /inbox)`,
        run: () => Promise.all([page(nodeId, filter), total(nodeId, filter)]),
        targetMs: PAGE_P99_MS,
      });
    }
  }
  // search, scoped like the inbox: a common problem in everyday words, and two words from different parts of a complaint
  for (const [who, nodeId] of scopes)
    cases.push({
      label: `search "${COMMON_QUERY}", ${who}, page + total (GET /inbox?search=)`,
      run: () => Promise.all([page(nodeId, { search: COMMON_QUERY }), total(nodeId, { search: COMMON_QUERY })]),
      targetMs: SEARCH_P99_MS,
    });
  cases.push({
    label: `search "${MIXED_QUERY}", Admin Nasional, page + total (GET /inbox?search=)`,
    run: () => Promise.all([page('nasional', { search: MIXED_QUERY }), total('nasional', { search: MIXED_QUERY })]),
    targetMs: SEARCH_P99_MS,
  });
  // Admin Nasional searched as an instansi is ('wide': "seen by nasional" inside the GIN scan, in
  // windows), the way before the root's own scope, held against it in the same run
  const wideTotal = (filter: InboxFilter) => countInbox(db, 'nasional', filter, INBOX_SEARCH_COUNTED_UP_TO, 'wide');
  for (const query of [COMMON_QUERY, MIXED_QUERY])
    cases.push({
      label: `search "${query}", Admin Nasional searched as an instansi ('wide', seen-by in the index), page + total`,
      run: () => Promise.all([queryInboxPage(db, 'nasional', { search: query }, null, PAGE, 'wide'), wideTotal({ search: query })]),
    });
  // the same wide searches in one window reaching back to the first complaint: every match found in one
  // pass, as before the windows, to hold the two ways against each other in one run
  const onePass: WideSearchWindows = { firstMs: Infinity, growth: 1 };
  // (an instansi only: Admin Nasional's matches are the country's, which one pass reads every one of)
  for (const [who, nodeId] of scopes.slice(1, 2))
    cases.push({
      label: `search "${COMMON_QUERY}", ${who}, page + total, one pass over every match (no windows)`,
      run: () => Promise.all([page(nodeId, { search: COMMON_QUERY }, onePass), total(nodeId, { search: COMMON_QUERY })]),
      targetMs: SEARCH_P99_MS,
    });
  let deep: ReturnType<typeof decodeCursor> = null;
  cases.push({
    label: 'inbox Admin Nasional, the page after the first 5,000 (keyset cursor), page alone',
    run: async () => {
      deep ??= decodeCursor((await queryInboxPage(db, 'nasional', {}, null, 5_000)).nextCursor ?? '');
      return queryInboxPage(db, 'nasional', {}, deep, PAGE);
    },
  });
  return cases;
}

export async function measureCases(cases: readonly InboxCase[], onMeasured: (label: string, latency: Latency) => void): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const { label, run, targetMs } of cases) {
    const latency = await measureLatency(run, SAMPLES, BUDGET_MS);
    onMeasured(label, latency);
    measured.push({ label, latency, ...(targetMs === undefined ? {} : { targetMs }) });
  }
  return measured;
}
