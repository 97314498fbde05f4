import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { Period } from '../local-date';
import type { BreachRow } from '../rows';
import { STATISTICS_SCHEMA } from '../tables';
import { rowFinder, subtreeFilter } from './scope';

const STAGE_FIELD = { verification: 'verification', first_follow_up: 'firstFollowUp', completion: 'completion' } as const;

/** SLA breaches held against each node below (and its subtree), by stage, for complaints received in the period. */
export async function queryBreaches(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  schema = STATISTICS_SCHEMA,
): Promise<{ total: BreachRow; below: BreachRow[] }> {
  const scope = subtreeFilter(tree, nodeId, 'node_id', 3);
  const groups = await db.query<{ node_id: string; stage: keyof typeof STAGE_FIELD; n: string | number; late: string | number }>(
    `SELECT node_id, stage, count(*) AS n, sum(working_days_late) AS late FROM ${schema}.sla_breaches
     WHERE received_on >= $1 AND received_on <= $2 ${scope.sql} GROUP BY node_id, stage`,
    [period.from, period.to, scope.param],
  );
  const find = rowFinder(tree, nodeId);
  const rows = new Map(
    [nodeId, ...tree.childrenOf(nodeId).map((child) => child.id)].map((id) => [id, { verification: 0, firstFollowUp: 0, completion: 0, late: 0 }]),
  );
  for (const group of groups) {
    const { inScope, child } = find(group.node_id);
    if (!inScope) continue;
    for (const target of [nodeId, ...(child ? [child] : [])]) {
      const row = rows.get(target)!;
      row[STAGE_FIELD[group.stage]] += Number(group.n);
      row.late += Number(group.late);
    }
  }
  const toRow = (id: string): BreachRow => {
    const row = rows.get(id)!;
    const total = row.verification + row.firstFollowUp + row.completion;
    return {
      nodeId: id,
      name: tree.node(id).name,
      verification: row.verification,
      firstFollowUp: row.firstFollowUp,
      completion: row.completion,
      total,
      averageWorkingDaysLate: total === 0 ? 0 : Math.round((row.late / total) * 10) / 10,
    };
  };
  return { total: toRow(nodeId), below: tree.childrenOf(nodeId).map((child) => toRow(child.id)) };
}
