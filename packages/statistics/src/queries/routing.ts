import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { Period } from '../local-date';
import type { RoutingRow, RoutingSummary } from '../rows';
import { STATISTICS_SCHEMA } from '../tables';
import { DAY_MS } from '../unit-recap';
import { rowFinder, subtreeFilter } from './scope';

// "No wrong door" in numbers: how often a complaint reached a body that was not the right one, and
// what each wrong door cost the reporter in days.

export interface RoutingReport {
  readonly total: RoutingSummary;
  readonly below: readonly RoutingRow[];
}

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Hand-offs of complaints received in the period, per node below `nodeId`. */
export async function queryRouting(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  schema = STATISTICS_SCHEMA,
): Promise<RoutingReport> {
  const hopScope = subtreeFilter(tree, nodeId, `CASE WHEN type = 'disposition' THEN to_node_id ELSE from_node_id END`, 3);
  const hops = await db.query<{ type: string; node_id: string; n: string | number; lost_ms: string | number | null; lost_n: string | number }>(
    `SELECT type, CASE WHEN type = 'disposition' THEN to_node_id ELSE from_node_id END AS node_id,
            count(*) AS n, sum(lost_ms) AS lost_ms, count(lost_ms) AS lost_n
     FROM ${schema}.hop_facts WHERE received_on >= $1 AND received_on <= $2 ${hopScope.sql} GROUP BY 1, 2`,
    [period.from, period.to, hopScope.param],
  );
  const complaintScope = subtreeFilter(tree, nodeId, 'row_node_id', 3);
  const [summary] = await db.query<Record<string, string | number | null>>(
    `SELECT count(*) AS complaints, count(*) FILTER (WHERE returns > 0) AS rerouted, coalesce(sum(hops), 0) AS hops, coalesce(sum(returns), 0) AS returns
     FROM ${schema}.complaint_facts WHERE received_on >= $1 AND received_on <= $2 ${complaintScope.sql}`,
    [period.from, period.to, complaintScope.param],
  );

  const find = rowFinder(tree, nodeId);
  const children = tree.childrenOf(nodeId);
  const tallies = new Map(children.map((child) => [child.id, { received: 0, returned: 0, lostMs: 0, lostN: 0 }]));
  let lostMs = 0;
  let lostN = 0;
  for (const hop of hops) {
    const { inScope, child } = find(hop.node_id);
    if (!inScope) continue;
    if (hop.type === 'return') {
      lostMs += Number(hop.lost_ms ?? 0);
      lostN += Number(hop.lost_n);
    }
    if (!child) continue;
    const tally = tallies.get(child)!;
    if (hop.type === 'disposition') tally.received += Number(hop.n);
    else {
      tally.returned += Number(hop.n);
      tally.lostMs += Number(hop.lost_ms ?? 0);
      tally.lostN += Number(hop.lost_n);
    }
  }
  const complaints = Number(summary?.complaints ?? 0);
  const perComplaint = (value: unknown): number => (complaints === 0 ? 0 : round(Number(value ?? 0) / complaints, 2));
  return {
    total: {
      complaints,
      rerouted: Number(summary?.rerouted ?? 0),
      averageHopsPerComplaint: perComplaint(summary?.hops),
      averageReturnsPerComplaint: perComplaint(summary?.returns),
      averageDaysLostPerReturn: lostN === 0 ? 0 : round(lostMs / lostN / DAY_MS, 1),
    },
    below: children.map((node) => {
      const tally = tallies.get(node.id)!;
      return {
        nodeId: node.id,
        name: node.name,
        dispositionsReceived: tally.received,
        returned: tally.returned,
        bounceRate: tally.received === 0 ? 0 : round((tally.returned / tally.received) * 100, 2),
        averageDaysLostPerReturn: tally.lostN === 0 ? 0 : round(tally.lostMs / tally.lostN / DAY_MS, 1),
      };
    }),
  };
}
