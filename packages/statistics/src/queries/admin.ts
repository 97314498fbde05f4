import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { Period } from '../local-date';
import { REPORT_DAY_LIMITS } from '../report-definitions';
import type { AdminPerformanceRow } from '../rows';
import { STATISTICS_SCHEMA } from '../tables';
import { DAY_MS } from '../unit-recap';
import { subtreeFilter } from './scope';

const VERIFYING = `action IN ('verified', 'answered')`;

/** Administrators of the node's subtree, by what they decided on complaints received in the period. */
export async function queryAdminPerformance(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  schema = STATISTICS_SCHEMA,
): Promise<AdminPerformanceRow[]> {
  const scope = subtreeFilter(tree, nodeId, 'node_id', 3);
  const rows = await db.query<Record<string, string | number | null>>(
    `SELECT account_id, node_id,
            count(*) FILTER (WHERE ${VERIFYING}) AS verifications,
            count(*) FILTER (WHERE ${VERIFYING} AND working_days <= $4::int) AS within,
            count(*) FILTER (WHERE ${VERIFYING} AND working_days > $4::int) AS late,
            avg(elapsed_ms) FILTER (WHERE ${VERIFYING}) AS average_ms,
            count(*) FILTER (WHERE action = 'postponed') AS postponements,
            count(*) FILTER (WHERE action = 'archived') AS archivings
     FROM ${schema}.admin_actions WHERE received_on >= $1 AND received_on <= $2 ${scope.sql}
     GROUP BY account_id, node_id ORDER BY account_id, node_id`,
    [period.from, period.to, scope.param, REPORT_DAY_LIMITS.verification],
  );
  return rows
    .filter((row) => tree.has(String(row.node_id)))
    .map((row) => ({
      accountId: String(row.account_id),
      nodeId: String(row.node_id),
      nodeName: tree.node(String(row.node_id)).name,
      verifiedWithin3Days: Number(row.within),
      verifiedAfter3Days: Number(row.late),
      averageVerificationDays: row.average_ms === null ? 0 : Math.round((Number(row.average_ms) / DAY_MS) * 10) / 10,
      verifications: Number(row.verifications),
      postponements: Number(row.postponements),
      archivings: Number(row.archivings),
    }));
}
