import type { OrganisationTree } from '@lapor/domain';
import { plainStructure, type ReportingTree } from '../structure';
import type { SqlQueryable } from '@lapor/sql';
import { monthOf, nextDay, nextMonth, type Period } from '../local-date';
import { asOfSplit, type ChangeSpan } from '../recap-changes';
import { STATISTICS_SCHEMA } from '../tables';
import type { UnitRecapRow } from '../rows';
import { recapRow, STATUS_COLUMN, type RecapQuery, type StatusColumn, type Tally, type UnitRecap } from '../unit-recap';
import { subtreeFilter } from './scope';

interface Group {
  row_node_id: string;
  status: string;
  n: string | number;
  rtl_ms: string | number | null;
  rtl_n: string | number;
  rating_sum: string | number | null;
  rating_n: string | number;
  rv_ms: string | number | null;
  rv_n: string | number;
}

const SUMS = `sum(n) AS n, sum(rtl_ms) AS rtl_ms, sum(rtl_n) AS rtl_n, sum(rating_sum) AS rating_sum, sum(rating_n) AS rating_n, sum(rv_ms) AS rv_ms, sum(rv_n) AS rv_n`;

/**
 * The recap from the read model, rolled up along the tree. Without `asOf` it is summed from the
 * per-month and per-day buckets (whole months from the first, the ragged ends from the second), so
 * its cost grows with units and months, not complaints; with `asOf`, from the changes summed
 * before that moment's day and the intervals of the day itself (`groupsAsOf`).
 */
export async function queryUnitRecap(
  db: SqlQueryable,
  tree: OrganisationTree,
  query: RecapQuery,
  schema = STATISTICS_SCHEMA,
  structure: ReportingTree = plainStructure(tree),
): Promise<UnitRecap> {
  const scope = scopeOf(structure, query.nodeId);
  const groups = query.asOf ? await groupsAsOf(db, schema, query.period, query.asOf, scope) : await groupsNow(db, schema, query.period, scope);
  return rollUp(structure, query.nodeId, groups);
}

/** The recap as of `asOf` from every interval valid then: what `queryUnitRecap` is held to. */
export async function queryUnitRecapByIntervals(
  db: SqlQueryable,
  tree: OrganisationTree,
  query: RecapQuery & { readonly asOf: Date },
  schema = STATISTICS_SCHEMA,
  structure: ReportingTree = plainStructure(tree),
): Promise<UnitRecap> {
  const scope = scopeOf(structure, query.nodeId);
  return rollUp(structure, query.nodeId, await exactGroupsAsOf(db, schema, query.period, query.asOf, scope));
}

function scopeOf(structure: ReportingTree, nodeId: string): ReturnType<typeof subtreeFilter> {
  const candidates = structure.candidates(nodeId);
  return candidates === null ? subtreeFilter(structure.tree, nodeId, 'row_node_id', 3) : { sql: `AND row_node_id = ANY($3::text[])`, param: candidates };
}

async function groupsNow(db: SqlQueryable, schema: string, period: Period, scope: ReturnType<typeof subtreeFilter>): Promise<Group[]> {
  // whole months inside the period from recap_monthly; the days outside them from recap_daily
  const { firstMonth, afterMonths } = wholeMonths(period);
  const months = firstMonth < afterMonths;
  const sql = months
    ? `SELECT row_node_id, status, ${SUMS} FROM (
         SELECT * FROM ${schema}.recap_monthly WHERE bucket >= $1 AND bucket < $2 ${scope.sql}
         UNION ALL
         SELECT * FROM ${schema}.recap_daily WHERE ((bucket >= $4 AND bucket < $1) OR (bucket >= $2 AND bucket <= $5)) ${scope.sql}
       ) AS buckets GROUP BY row_node_id, status`
    : `SELECT row_node_id, status, ${SUMS} FROM ${schema}.recap_daily WHERE bucket >= $1 AND bucket <= $2 ${scope.sql} GROUP BY row_node_id, status`;
  const params = months ? [firstMonth, afterMonths, scope.param, period.from, period.to] : [period.from, period.to, scope.param];
  return db.query<Group>(sql, params);
}

/**
 * The groups as of a moment: for the whole months of the period, the changes summed before the
 * moment's day (recap_changes: months, then dekads, then days) and the intervals starting or ending
 * on that day up to the moment; for the days outside whole months, the intervals valid then. What
 * it reads grows with units, months and one day's changes, not with the complaints of the period.
 */
async function groupsAsOf(db: SqlQueryable, schema: string, period: Period, asOf: Date, scope: ReturnType<typeof subtreeFilter>): Promise<Group[]> {
  const { firstMonth, afterMonths } = wholeMonths(period);
  if (firstMonth >= afterMonths) return exactGroupsAsOf(db, schema, period, asOf, scope);
  const split = asOfSplit(asOf);
  const changes = (span: ChangeSpan, from: number | null, to: number) =>
    `SELECT row_node_id, status, n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n FROM ${schema}.recap_changes
     WHERE span = '${span}' ${from === null ? '' : `AND changed >= $${from}`} AND changed < $${to} AND bucket >= $1 AND bucket < $2 ${scope.sql}`;
  const signed = (sign: string) =>
    `row_node_id, status, ${sign}1, ${sign}coalesce(rtl_ms, 0), ${sign}(rtl_ms IS NOT NULL)::int, ${sign}coalesce(rating, 0), ${sign}(rating IS NOT NULL)::int,
     ${sign}coalesce(rv_ms, 0), ${sign}(rv_ms IS NOT NULL)::int`;
  const sql = `SELECT row_node_id, status, ${SUMS} FROM (
      ${changes('month', null, 6)}
      UNION ALL ${changes('dekad', 6, 7)}
      UNION ALL ${changes('day', 7, 8)}
      UNION ALL
      SELECT ${signed('')} FROM ${schema}.recap_facts
      WHERE valid_from >= $9 AND valid_from <= $10 AND (valid_to IS NULL OR valid_to > valid_from) AND received_on >= $1 AND received_on < $2 ${scope.sql}
      UNION ALL
      SELECT ${signed('-')} FROM ${schema}.recap_facts
      WHERE valid_to >= $9 AND valid_to <= $10 AND valid_to > valid_from AND received_on >= $1 AND received_on < $2 ${scope.sql}
      UNION ALL
      SELECT ${signed('')} FROM ${schema}.recap_facts
      WHERE ((received_on >= $4 AND received_on < $1) OR (received_on >= $2 AND received_on <= $5)) ${scope.sql}
        AND valid_from <= $10 AND (valid_to IS NULL OR valid_to > $10)
    ) AS changes GROUP BY row_node_id, status`;
  return db.query<Group>(sql, [
    firstMonth,
    afterMonths,
    scope.param,
    period.from,
    period.to,
    split.month,
    split.dekad,
    split.day,
    split.dayStart.toISOString(),
    asOf.toISOString(),
  ]);
}

/** Whole months inside the period: [firstMonth, afterMonths), empty when firstMonth >= afterMonths. */
function wholeMonths(period: Period): { firstMonth: string; afterMonths: string } {
  const firstMonth = period.from === monthOf(period.from) ? period.from : nextMonth(period.from);
  const afterMonths = nextDay(period.to) === nextMonth(period.to) ? nextMonth(period.to) : monthOf(period.to);
  return { firstMonth, afterMonths };
}

/**
 * The groups as of a moment from every interval of the period valid then: the definition the
 * summed changes are held to (and what a period without a whole month reads).
 */
async function exactGroupsAsOf(db: SqlQueryable, schema: string, period: Period, asOf: Date, scope: ReturnType<typeof subtreeFilter>): Promise<Group[]> {
  return db.query<Group>(
    `SELECT row_node_id, status, count(*) AS n,
            sum(rtl_ms) AS rtl_ms, count(rtl_ms) AS rtl_n, sum(rating) AS rating_sum, count(rating) AS rating_n, sum(rv_ms) AS rv_ms, count(rv_ms) AS rv_n
     FROM ${schema}.recap_facts
     WHERE received_on >= $1 AND received_on <= $2 ${scope.sql} AND valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)
     GROUP BY row_node_id, status`,
    [period.from, period.to, scope.param, asOf.toISOString()],
  );
}

interface Accumulator {
  statuses: Partial<Record<StatusColumn, number>>;
  rtlMs: Tally;
  rating: Tally;
  rvMs: Tally;
}
const accumulator = (): Accumulator => ({ statuses: {}, rtlMs: [0, 0], rating: [0, 0], rvMs: [0, 0] });
const plus = ([sum, count]: Tally, addSum: number | string | null, addCount: number | string): Tally => [sum + Number(addSum ?? 0), count + Number(addCount)];

function rollUp(structure: ReportingTree, nodeId: string, groups: readonly Group[]): UnitRecap {
  const { tree } = structure;
  // a unit merged away has no row of its own where its history counts in its successor
  const children = tree.childrenOf(nodeId).filter((child) => structure.placeOf(child.id) === child.id);
  const totals = new Map<string, Accumulator>([[nodeId, accumulator()], ...children.map((child) => [child.id, accumulator()] as const)]);
  // each row node's child of the parent, found once per node rather than once per group
  const childOf = new Map<string, string | undefined>();
  for (const group of groups) {
    if (Number(group.n) === 0) continue;
    const place = structure.placeOf(group.row_node_id);
    if (place === null || !tree.isWithinScope(place, nodeId)) continue;
    if (!childOf.has(place)) {
      childOf.set(place, place === nodeId ? undefined : children.find((candidate) => tree.isWithinScope(place, candidate.id))?.id);
    }
    const child = childOf.get(place);
    for (const target of [nodeId, ...(child ? [child] : [])]) addGroup(totals.get(target)!, group);
  }
  const row = (id: string): UnitRecapRow => recapRow(id, tree.node(id).name, totals.get(id)!.statuses, totals.get(id)!);
  return { total: row(nodeId), below: children.map((child) => row(child.id)) };
}

function addGroup(acc: Accumulator, group: Group): void {
  const column = STATUS_COLUMN[group.status as keyof typeof STATUS_COLUMN];
  acc.statuses[column] = (acc.statuses[column] ?? 0) + Number(group.n);
  acc.rtlMs = plus(acc.rtlMs, group.rtl_ms, group.rtl_n);
  acc.rating = plus(acc.rating, group.rating_sum, group.rating_n);
  acc.rvMs = plus(acc.rvMs, group.rv_ms, group.rv_n);
}
