import type { Calendar, CalendarSource } from '@lapor/calendar';
import { clockZoneOf, type Complaint, type OrganisationTree } from '@lapor/domain';
import type { SqlRunner } from '@lapor/sql';
import { complaintFactsOf, workingDays } from './facts';
import { STATISTICS_SCHEMA } from './tables';

// A working-day figure counted while its year had no decree is unknown (null), not zero. When an
// administrator records the year, those figures are counted again here: the "≤ N hari" columns
// then agree with the SLA deadlines the scheduler set with the same year.

export interface RecountDependencies {
  readonly tree: () => OrganisationTree;
  readonly calendar: () => Calendar;
  readonly schema?: string;
}

/** Complaints read per round trip: memory stays bounded however many are open. */
const PAGE = 1_000;

/** Counts the unknown working-day figures again; answers how many rows changed. */
export async function recountUnknownWorkingDays(db: SqlRunner, deps: RecountDependencies): Promise<number> {
  const schema = deps.schema ?? STATISTICS_SCHEMA;
  const tree = deps.tree();
  const calendar = deps.calendar();
  let changed = 0;
  let after = '';
  for (;;) {
    const page = await db.query<{ complaint_id: string; state: Complaint }>(
      `SELECT f.complaint_id, s.state FROM ${schema}.complaint_facts f JOIN ${schema}.complaint_state s USING (complaint_id)
       WHERE f.complaint_id > $1
         AND (f.disposed_working_days IS NULL OR f.followed_up_working_days IS NULL OR f.completed_working_days IS NULL)
       ORDER BY f.complaint_id LIMIT $2`,
      [after, PAGE],
    );
    if (page.length === 0) break;
    after = page[page.length - 1]!.complaint_id;
    const recounted = page.map(({ state }) => complaintFactsOf(state, tree, calendar));
    const [row] = await db.query<{ n: string | number }>(
      `WITH counted AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) AS c(complaint_id, disposed, followed_up, completed)),
            updated AS (
              UPDATE ${schema}.complaint_facts f SET disposed_working_days = c.disposed, followed_up_working_days = c.followed_up, completed_working_days = c.completed
              FROM counted c
              WHERE f.complaint_id = c.complaint_id
                AND (f.disposed_working_days IS DISTINCT FROM c.disposed OR f.followed_up_working_days IS DISTINCT FROM c.followed_up
                     OR f.completed_working_days IS DISTINCT FROM c.completed)
              RETURNING 1)
       SELECT count(*) AS n FROM updated`,
      [
        recounted.map((facts) => facts.complaintId),
        recounted.map((facts) => facts.disposedWorkingDays),
        recounted.map((facts) => facts.followedUpWorkingDays),
        recounted.map((facts) => facts.completedWorkingDays),
      ],
    );
    changed += Number(row?.n ?? 0);
  }
  const actions = await db.query<{ complaint_id: string; at: Date | string; action: string; state: Complaint }>(
    `SELECT a.complaint_id, a.at, a.action, s.state FROM ${schema}.admin_actions a JOIN ${schema}.complaint_state s USING (complaint_id)
     WHERE a.working_days IS NULL`,
  );
  for (let start = 0; start < actions.length; start += PAGE) {
    const slice = actions.slice(start, start + PAGE);
    const counted = slice.map(({ state, at }) => workingDays(calendar, state.receivedAt, new Date(at).toISOString(), clockZoneOf(state, 'verification', tree)));
    const [row] = await db.query<{ n: string | number }>(
      `WITH counted AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[]) AS c(complaint_id, at, action, working_days)),
            updated AS (
              UPDATE ${schema}.admin_actions a SET working_days = c.working_days FROM counted c
              WHERE a.complaint_id = c.complaint_id AND a.at = c.at AND a.action = c.action AND c.working_days IS NOT NULL
              RETURNING 1)
       SELECT count(*) AS n FROM updated`,
      [slice.map((entry) => entry.complaint_id), slice.map((entry) => new Date(entry.at).toISOString()), slice.map((entry) => entry.action), counted],
    );
    changed += Number(row?.n ?? 0);
  }
  return changed;
}

/**
 * Keeps the figures counted with the calendar `source` holds: at start when the calendar gained a
 * year since the figures were last counted (recorded while this process was down), and whenever it
 * gains one while running, twice: an event being applied with the old calendar while the first
 * recount ran is caught by the second.
 */
export async function keepWorkingDaysCounted(
  db: SqlRunner,
  source: CalendarSource,
  deps: Omit<RecountDependencies, 'calendar'>,
  onError: (error: unknown) => void,
  settleMs = 5_000,
): Promise<{ stop(): void }> {
  const schema = deps.schema ?? STATISTICS_SCHEMA;
  const recount = async (calendar: Calendar): Promise<void> => {
    await recountUnknownWorkingDays(db, { ...deps, calendar: () => calendar });
    await db.query(`UPDATE ${schema}.shape SET counted_with = $1`, [calendar.version]);
  };
  let again: NodeJS.Timeout | undefined;
  source.onChange((calendar) => {
    void recount(calendar).catch(onError);
    clearTimeout(again);
    again = setTimeout(() => void recount(source.get()).catch(onError), settleMs);
    again.unref();
  });
  const [row] = await db.query<{ counted_with: string | null }>(`SELECT counted_with FROM ${schema}.shape`);
  if (row && row.counted_with !== source.get().version) void recount(source.get()).catch(onError);
  return { stop: () => clearTimeout(again) };
}
