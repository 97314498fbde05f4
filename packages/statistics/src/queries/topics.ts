import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { Period } from '../local-date';
import type { TopicCount, TopicRecapRow } from '../rows';
import { STATISTICS_SCHEMA } from '../tables';
import { STATUS_COLUMN, type StatusColumn } from '../unit-recap';
import { rowFinder, subtreeFilter } from './scope';

export interface TopicRecap {
  readonly rows: readonly TopicRecapRow[];
  /** Every category in the subtree, most frequent first: the instansi's own topic list. */
  readonly categories: readonly TopicCount[];
}

/** Categories of complaints received in the period, per node below `nodeId`. Unverified complaints have none yet. */
export async function queryTopicRecap(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  top = 3,
  schema = STATISTICS_SCHEMA,
): Promise<TopicRecap> {
  const scope = subtreeFilter(tree, nodeId, 'row_node_id', 3);
  const groups = await db.query<{ row_node_id: string; status: string; category: string | null; n: string | number }>(
    `SELECT row_node_id, status, category, count(*) AS n FROM ${schema}.complaint_facts
     WHERE received_on >= $1 AND received_on <= $2 ${scope.sql} GROUP BY row_node_id, status, category`,
    [period.from, period.to, scope.param],
  );
  const find = rowFinder(tree, nodeId);
  const children = tree.childrenOf(nodeId);
  const statuses = new Map(children.map((child) => [child.id, {} as Partial<Record<StatusColumn, number>>]));
  const topics = new Map(children.map((child) => [child.id, new Map<string, number>()]));
  const all = new Map<string, number>();
  for (const group of groups) {
    const { inScope, child } = find(group.row_node_id);
    if (!inScope) continue;
    const n = Number(group.n);
    if (group.category !== null) all.set(group.category, (all.get(group.category) ?? 0) + n);
    if (!child) continue;
    const column = STATUS_COLUMN[group.status as keyof typeof STATUS_COLUMN];
    const counts = statuses.get(child)!;
    counts[column] = (counts[column] ?? 0) + n;
    if (group.category !== null) topics.get(child)!.set(group.category, (topics.get(child)!.get(group.category) ?? 0) + n);
  }
  const rows = children.map((node) => {
    const c = statuses.get(node.id)!;
    const count = (column: StatusColumn): number => c[column] ?? 0;
    return {
      nodeId: node.id,
      name: node.name,
      belumTerverifikasi: count('belumTerverifikasi'),
      belumDitindaklanjuti: count('belumDitindaklanjuti'),
      proses: count('proses'),
      selesai: count('selesai'),
      total: count('belumTerverifikasi') + count('belumDitindaklanjuti') + count('proses') + count('selesai'),
      topics: ranked(topics.get(node.id)!).slice(0, top),
    };
  });
  return { rows, categories: ranked(all) };
}

const ranked = (counts: Map<string, number>): TopicCount[] =>
  [...counts.entries()].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
