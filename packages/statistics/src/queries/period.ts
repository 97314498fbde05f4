import type { OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { daysIn, nextMonth, type Period } from '../local-date';
import { REPORT_DAY_LIMITS } from '../report-definitions';
import type { PeriodStatisticsRow } from '../rows';
import { STATISTICS_SCHEMA } from '../tables';
import { DAY_MS } from '../unit-recap';
import { subtreeFilter } from './scope';

/** Counts of a working-days column at most the limit in parameter `$param`, and above it. */
const within = (column: string, param: number): string =>
  `count(*) FILTER (WHERE ${column} <= $${param}::int) AS ${column}_within, count(*) FILTER (WHERE ${column} > $${param}::int) AS ${column}_after`;
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Month by month, complaints received in the period in the node's subtree. */
export async function queryPeriodStatistics(
  db: SqlQueryable,
  tree: OrganisationTree,
  nodeId: string,
  period: Period,
  schema = STATISTICS_SCHEMA,
): Promise<PeriodStatisticsRow[]> {
  const scope = subtreeFilter(tree, nodeId, 'row_node_id', 3);
  const rows = await db.query<Record<string, string | number | null>>(
    `SELECT to_char(received_month, 'YYYY-MM') AS month, count(*) AS received, count(handling_ms) AS completed,
            ${within('disposed_working_days', 4)}, ${within('followed_up_working_days', 5)}, ${within('completed_working_days', 6)},
            avg(handling_ms) AS handling_ms, count(DISTINCT reporter_ref) AS reporters,
            sum(breaches_verification) AS breaches_verification, sum(breaches_first_follow_up) AS breaches_first_follow_up,
            sum(breaches_completion) AS breaches_completion
     FROM ${schema}.complaint_facts WHERE received_on >= $1 AND received_on <= $2 ${scope.sql}
     GROUP BY received_month ORDER BY received_month`,
    [period.from, period.to, scope.param, REPORT_DAY_LIMITS.disposition, REPORT_DAY_LIMITS.firstFollowUp, REPORT_DAY_LIMITS.completion],
  );
  const byMonth = new Map(rows.map((row) => [String(row.month), row]));
  const months: PeriodStatisticsRow[] = [];
  // every month of the period gets a row, an empty month too: a report's columns do not skip
  for (let month = `${period.from.slice(0, 7)}-01`; month <= period.to; month = nextMonth(month)) {
    const key = month.slice(0, 7);
    const row = byMonth.get(key);
    const days = daysIn({ from: month < period.from ? period.from : month, to: lastDayOfMonth(month) > period.to ? period.to : lastDayOfMonth(month) });
    const n = (column: string): number => Number(row?.[column] ?? 0);
    months.push({
      month: key,
      received: n('received'),
      completed: n('completed'),
      disposedWithin5Days: n('disposed_working_days_within'),
      disposedAfter5Days: n('disposed_working_days_after'),
      followedUpWithin5Days: n('followed_up_working_days_within'),
      followedUpAfter5Days: n('followed_up_working_days_after'),
      completedWithin5Days: n('completed_working_days_within'),
      completedAfter5Days: n('completed_working_days_after'),
      averageHandlingDays: row?.handling_ms == null ? 0 : round2(Number(row.handling_ms) / DAY_MS),
      averageReportsPerDay: round2(n('received') / days),
      reporters: n('reporters'),
      slaBreaches: { verification: n('breaches_verification'), firstFollowUp: n('breaches_first_follow_up'), completion: n('breaches_completion') },
    });
  }
  return months;
}

const lastDayOfMonth = (month: string): string => new Date(Date.parse(`${nextMonth(month)}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
