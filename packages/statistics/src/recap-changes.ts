import type { RecapFacts } from './facts';
import { localDateOf, monthOf } from './local-date';

// The recap as of a past moment, without reading every interval of the period. Each interval of
// recap_facts counts at a moment T when valid_from <= T < valid_to: it is a change of +facts at
// valid_from and of -facts at valid_to (none at all when valid_to <= valid_from, as the interval
// then never counts). recap_changes sums those changes per day, per dekad (days 1–10, 11–20,
// 21–end) and per month in which they happened, and per month of receipt: the recap as of T is
// the months before T's month, the dekads of that month before T's dekad, the days of that dekad
// before T's day, and the intervals that start or end on T's own day up to T (read from
// recap_facts). Nothing is a running total, so a change that arrives late, dated before changes
// already summed, is added to its own day like any other and no sum is ever left stale.

/** The zone whose midnight starts a change day: one fixed offset for the whole country (WIB). */
const CHANGE_ZONE = 'Asia/Jakarta';
const CHANGE_OFFSET = '+07:00';

export const CHANGE_SPANS = ['month', 'dekad', 'day'] as const;
export type ChangeSpan = (typeof CHANGE_SPANS)[number];

/** The first day of the dekad a date is in. */
export const dekadOf = (date: string): string => {
  const day = Number(date.slice(8, 10));
  return `${date.slice(0, 8)}${day >= 21 ? '21' : day >= 11 ? '11' : '01'}`;
};

/** The day, dekad and month (each by its first day) a change at `instant` is summed in. */
export function changeSpansOf(instant: string): Record<ChangeSpan, string> {
  const day = localDateOf(instant, CHANGE_ZONE);
  return { day, dekad: dekadOf(day), month: monthOf(day) };
}

/** Where a recap as of `asOf` splits: summed changes before `day`, exact intervals from `dayStart` on. */
export function asOfSplit(asOf: Date): Record<ChangeSpan, string> & { dayStart: Date } {
  const spans = changeSpansOf(asOf.toISOString());
  return { ...spans, dayStart: new Date(`${spans.day}T00:00:00${CHANGE_OFFSET}`) };
}

/** One interval as the changes see it. */
export interface Interval {
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly facts: RecapFacts;
}

/** The changes an interval stands for: a sign and the moment. */
export function changesOf(interval: Interval): { at: string; sign: 1 | -1 }[] {
  if (interval.validTo === null) return [{ at: interval.validFrom, sign: 1 }];
  if (Date.parse(interval.validTo) <= Date.parse(interval.validFrom)) return [];
  return [
    { at: interval.validFrom, sign: 1 },
    { at: interval.validTo, sign: -1 },
  ];
}

/**
 * The changes summed from recap_facts by SQL, in one statement: what a rebuild runs once the
 * intervals are loaded (the same days as `changeSpansOf`, in SQL). Days are summed from the
 * intervals once, dekads and months from the days.
 */
export function recapChangesFromFacts(schema: string): string {
  const day = (column: string) => `((${column} AT TIME ZONE 'UTC') + interval '7 hours')::date`;
  const dekad = `(changed - (extract(day FROM changed)::int - CASE WHEN extract(day FROM changed) >= 21 THEN 21 WHEN extract(day FROM changed) >= 11 THEN 11 ELSE 1 END))`;
  const columns = `span, changed, bucket, row_node_id, status, n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n`;
  const sums = `sum(n), sum(rtl_ms), sum(rtl_n), sum(rating_sum), sum(rating_n), sum(rv_ms), sum(rv_n)`;
  return `WITH changes AS (
      SELECT ${day('valid_from')} AS changed, 1 AS sign, received_on, row_node_id, status, rtl_ms, rating, rv_ms
      FROM ${schema}.recap_facts WHERE valid_to IS NULL OR valid_to > valid_from
      UNION ALL
      SELECT ${day('valid_to')}, -1, received_on, row_node_id, status, rtl_ms, rating, rv_ms
      FROM ${schema}.recap_facts WHERE valid_to > valid_from
    ), days AS MATERIALIZED (
      SELECT changed, date_trunc('month', received_on)::date AS bucket, row_node_id, status,
        sum(sign) AS n, coalesce(sum(sign * rtl_ms), 0) AS rtl_ms, sum(sign * (rtl_ms IS NOT NULL)::int) AS rtl_n,
        coalesce(sum(sign * rating), 0) AS rating_sum, sum(sign * (rating IS NOT NULL)::int) AS rating_n,
        coalesce(sum(sign * rv_ms), 0) AS rv_ms, sum(sign * (rv_ms IS NOT NULL)::int) AS rv_n
      FROM changes GROUP BY 1, 2, 3, 4
    )
    INSERT INTO ${schema}.recap_changes (${columns})
    SELECT 'day', changed, bucket, row_node_id, status, n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n FROM days
    UNION ALL
    SELECT 'dekad', ${dekad}, bucket, row_node_id, status, ${sums} FROM days GROUP BY 2, 3, 4, 5
    UNION ALL
    SELECT 'month', date_trunc('month', changed)::date, bucket, row_node_id, status, ${sums} FROM days GROUP BY 2, 3, 4, 5`;
}
