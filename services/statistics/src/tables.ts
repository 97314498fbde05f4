import type { EventStore } from '@lapor/event-store';
import type { CategoryTaxonomy, OrganisationTree } from '@lapor/domain';
import { accountNames, lastSignIns } from '@lapor/accounts';
import type { SqlQueryable } from '@lapor/sql';
import {
  asOfStructure,
  categoryNamesAt,
  currentStructure,
  endOfLocalDay,
  queryAdminPerformance,
  queryBreaches,
  queryPeriodStatistics,
  queryRouting,
  queryTopicRecap,
  queryUnitRecap,
  type AdminPerformanceTableRow,
  type Period,
  type RecapStructure,
  type ReportingTree,
  type UnitRecapRow,
  type UnitRecapTableRow,
} from '@lapor/statistics';
import { notFound } from '@lapor/http-kit';
import { latest } from './query';
import { inboxVisitsAsOf } from './visits';

// Each table as the API serves it: the read model's answer plus what lives beside the complaint
// events (last inbox visits, sign-ins, account names). JSON and the exports both start here.

export interface TableSources {
  readonly db: SqlQueryable;
  readonly store: EventStore;
  readonly tree: OrganisationTree;
  /** The tree as it stood at a moment (changes effective by then). */
  readonly treeAt: (moment: Date) => OrganisationTree;
  /** The category taxonomy as recorded now (every name each category had, with when). */
  readonly categories: () => Promise<CategoryTaxonomy>;
}

/** The structure a recap is drawn in (see @lapor/statistics structure.ts); 404 for a node that did not exist in the one asked for. */
function reportingTree(sources: TableSources, nodeId: string, period: Period, asOf: Date | undefined, structure: RecapStructure): ReportingTree {
  if (structure === 'current') return currentStructure(sources.tree);
  const then = sources.treeAt(asOf ?? endOfLocalDay(period.to, sources.tree.timeZoneOf(nodeId)));
  if (!then.has(nodeId)) throw notFound(`${nodeId} did not exist at the end of the period; ask for structure=current.`);
  return asOfStructure(sources.tree, then);
}

/**
 * The recap with "Terakhir Dilihat": the latest inbox visit in each row's subtree, at or before
 * `asOf` when the recap is asked as it stood then (a visit from after that moment was not yet seen).
 */
export async function recapTable(
  sources: TableSources,
  nodeId: string,
  period: Period,
  asOf?: Date,
  structure: RecapStructure = 'as-of',
): Promise<{ total: UnitRecapTableRow; below: UnitRecapTableRow[] }> {
  const { db, store } = sources;
  const reporting = reportingTree(sources, nodeId, period, asOf, structure);
  const tree = reporting.tree;
  const recap = await queryUnitRecap(db, tree, { nodeId, period, ...(asOf ? { asOf } : {}) }, undefined, reporting);
  const subtree = (id: string): string[] => [id, ...tree.descendantsOf(id).map((node) => node.id)];
  const visits = await inboxVisitsAsOf(store, subtree(nodeId), asOf);
  const seen = (row: UnitRecapRow): UnitRecapTableRow => ({ ...row, terakhirDilihat: latest(subtree(row.nodeId).map((id) => visits.get(id))) });
  return { total: seen(recap.total), below: recap.below.map(seen) };
}

export async function adminTable(sources: TableSources, nodeId: string, period: Period): Promise<AdminPerformanceTableRow[]> {
  const rows = await queryAdminPerformance(sources.db, sources.tree, nodeId, period);
  const [names, signIns] = await Promise.all([
    accountNames(sources.store),
    lastSignIns(
      sources.store,
      rows.map((row) => row.accountId),
    ),
  ]);
  return rows.map((row) => ({ ...row, username: names.get(row.accountId) ?? null, lastSignInAt: signIns.get(row.accountId) ?? null }));
}

export const periodTable = (sources: TableSources, nodeId: string, period: Period) => queryPeriodStatistics(sources.db, sources.tree, nodeId, period);
/** Categories named as they were at the period's last instant in the node's zone: a later rename leaves a past topic table as it was. */
export async function topicTable(sources: TableSources, nodeId: string, period: Period) {
  const naming = categoryNamesAt(await sources.categories(), endOfLocalDay(period.to, sources.tree.timeZoneOf(nodeId)));
  return queryTopicRecap(sources.db, sources.tree, nodeId, period, naming);
}
export const routingTable = (sources: TableSources, nodeId: string, period: Period) => queryRouting(sources.db, sources.tree, nodeId, period);
export const breachTable = (sources: TableSources, nodeId: string, period: Period) => queryBreaches(sources.db, sources.tree, nodeId, period);
