import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { freeTextCategories, type CategoryNaming, type NamedCategory } from '../category-names';
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

/**
 * Categories of complaints received in the period, per node below `nodeId`. Unverified complaints
 * have none yet. `naming` reads each recorded category (an id, or legacy free text) as the recap
 * shows it: counted per category id, or per text for free text, named as `naming` says.
 */
export async function queryTopicRecap(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  naming: CategoryNaming = freeTextCategories,
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
  const topics = new Map(children.map((child) => [child.id, new Tally()]));
  const all = new Tally();
  for (const group of groups) {
    const { inScope, child } = find(group.row_node_id);
    if (!inScope) continue;
    const n = Number(group.n);
    const named = group.category === null ? null : naming(group.category);
    if (named) all.add(named, n);
    if (!child) continue;
    const column = STATUS_COLUMN[group.status as keyof typeof STATUS_COLUMN];
    const counts = statuses.get(child)!;
    counts[column] = (counts[column] ?? 0) + n;
    if (named) topics.get(child)!.add(named, n);
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
      topics: topics.get(node.id)!.ranked().slice(0, top),
    };
  });
  return { rows, categories: all.ranked() };
}

/** Counts per category: an id counts as one however it was named; free text per its text. */
class Tally {
  private readonly counts = new Map<string, TopicCount>();

  add(named: NamedCategory, n: number): void {
    const key = named.categoryId === null ? `text:${named.name}` : `id:${named.categoryId}`;
    const found = this.counts.get(key);
    this.counts.set(key, { category: named.name, categoryId: named.categoryId, count: (found?.count ?? 0) + n });
  }

  /** Most frequent first; ties by name. */
  ranked(): TopicCount[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  }
}
