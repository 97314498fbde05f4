import type { Calendar } from '@lapor/calendar';
import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type Complaint, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import {
  adminActionOf,
  breachOf,
  complaintFactsOf,
  hopFactsOf,
  recapFactsOf,
  sameComplaintFacts,
  sameRecapFacts,
  type ComplaintFacts,
  type RecapFacts,
} from './facts';
import { monthOf, receivedOnOf } from './local-date';
import { PROJECTION_NAME, STATISTICS_SCHEMA } from './tables';

export interface ProjectionDependencies {
  /** The organisation tree as it is now (zones, which nodes are units). */
  readonly tree: () => OrganisationTree;
  /** The calendar as it is now: bundled years plus those recorded (`CalendarSource`). */
  readonly calendar: () => Calendar;
  /** Default: the live schema; a rebuild writes elsewhere. */
  readonly schema?: string;
}

/**
 * The statistics read side as a consumer-kit handler: the same code behind Kafka or the
 * in-process log. Each event folds the complaint forward, then every table the new state changes
 * is written in the caller's transaction (which also records the event as applied).
 */
export function createStatisticsProjection(deps: ProjectionDependencies): EventHandler {
  const schema = deps.schema ?? STATISTICS_SCHEMA;
  return {
    name: PROJECTION_NAME,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const [stored] = await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaint_state WHERE complaint_id = $1`, [envelope.complaintId]);
      const before = stored?.state ?? complaintDecider.initialState();
      const after = complaintDecider.evolve(before, event);
      await tx.query(
        `INSERT INTO ${schema}.complaint_state (complaint_id, state) VALUES ($1, $2::json) ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state`,
        [envelope.complaintId, JSON.stringify(after)],
      );
      if (!after.submitted) return;
      const tree = deps.tree();
      const previous = before.submitted ? before : null;
      await writeRecap(tx, schema, tree, previous, after, event.data.at);
      const calendar = deps.calendar();
      await writeComplaintFacts(tx, schema, tree, calendar, previous, after);
      // hops only ever grow (evolve appends them), and a new one is what changes an earlier return's days lost
      if (previous === null || previous.hops.length !== after.hops.length) await writeHops(tx, schema, tree, after);
      const breach = breachOf(event, after, tree);
      if (breach) {
        await tx.query(
          `INSERT INTO ${schema}.sla_breaches (complaint_id, stage, clock_started_at, node_id, due_at, working_days_late, received_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [breach.complaintId, breach.stage, breach.clockStartedAt, breach.nodeId, breach.dueAt, breach.workingDaysLate, breach.receivedOn],
        );
      }
      const action = adminActionOf(event, after, tree, calendar);
      if (action) {
        await tx.query(
          `INSERT INTO ${schema}.admin_actions (complaint_id, at, action, account_id, node_id, received_on, working_days, elapsed_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [action.complaintId, action.at, action.action, action.accountId, action.nodeId, action.receivedOn, action.workingDays, action.elapsedMs],
        );
      }
    },
  };
}

async function writeRecap(tx: SqlQueryable, schema: string, tree: OrganisationTree, previous: Complaint | null, after: Complaint, at: string): Promise<void> {
  const next = recapFactsOf(after);
  const prior = previous ? recapFactsOf(previous) : null;
  if (prior && sameRecapFacts(prior, next)) return;
  const receivedOn = receivedOnOf(after, tree);
  await tx.query(`UPDATE ${schema}.recap_facts SET valid_to = $2 WHERE complaint_id = $1 AND valid_to IS NULL`, [after.complaintId, at]);
  await tx.query(
    `INSERT INTO ${schema}.recap_facts (complaint_id, valid_from, row_node_id, status, received_on, rtl_ms, rating, rv_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (complaint_id, valid_from) DO UPDATE SET row_node_id = excluded.row_node_id, status = excluded.status,
       rtl_ms = excluded.rtl_ms, rating = excluded.rating, rv_ms = excluded.rv_ms, valid_to = NULL`,
    [after.complaintId, at, next.rowNodeId, next.status, receivedOn, next.rtlMs, next.rating, next.rvMs],
  );
  const deltas = [...(prior ? [bucketDelta(prior, -1)] : []), bucketDelta(next, 1)];
  await addToBuckets(tx, `${schema}.recap_daily`, receivedOn, deltas);
  await addToBuckets(tx, `${schema}.recap_monthly`, monthOf(receivedOn), deltas);
}

/** A change to one recap bucket: [row node, status, n, rtl ms, rtl n, rating sum, rating n, rv ms, rv n]. */
export type BucketDelta = [string, string, number, number, number, number, number, number, number];

export const bucketDelta = (facts: RecapFacts, sign: 1 | -1): BucketDelta => [
  facts.rowNodeId,
  facts.status,
  sign,
  sign * (facts.rtlMs ?? 0),
  facts.rtlMs === null ? 0 : sign,
  sign * (facts.rating ?? 0),
  facts.rating === null ? 0 : sign,
  sign * (facts.rvMs ?? 0),
  facts.rvMs === null ? 0 : sign,
];

/**
 * Adds the deltas in one statement, merged per key and in key order: two transactions touching the
 * same buckets then lock them in the same order and cannot deadlock.
 */
async function addToBuckets(tx: SqlQueryable, table: string, bucket: string, deltas: readonly BucketDelta[]): Promise<void> {
  const merged = new Map<string, BucketDelta>();
  for (const delta of deltas) {
    const key = `${delta[0]}\u0000${delta[1]}`;
    const sum = merged.get(key);
    merged.set(key, sum ? (sum.map((value, index) => (index < 2 ? value : (value as number) + (delta[index] as number))) as BucketDelta) : delta);
  }
  const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
  const values = rows.map((_, row) => `($1, ${Array.from({ length: 9 }, (_, column) => `$${2 + row * 9 + column}`).join(', ')})`).join(', ');
  await tx.query(
    `INSERT INTO ${table} AS t (bucket, row_node_id, status, n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n) VALUES ${values}
     ON CONFLICT (bucket, row_node_id, status) DO UPDATE SET n = t.n + excluded.n, rtl_ms = t.rtl_ms + excluded.rtl_ms,
       rtl_n = t.rtl_n + excluded.rtl_n, rating_sum = t.rating_sum + excluded.rating_sum, rating_n = t.rating_n + excluded.rating_n,
       rv_ms = t.rv_ms + excluded.rv_ms, rv_n = t.rv_n + excluded.rv_n`,
    [bucket, ...rows.flat()],
  );
}

export const COMPLAINT_FACT_COLUMNS = [
  'complaint_id',
  'door_id',
  'instansi_id',
  'row_node_id',
  'kind',
  'category',
  'status',
  'received_at',
  'received_on',
  'received_month',
  'reporter_ref',
  'disposed_working_days',
  'followed_up_working_days',
  'completed_working_days',
  'handling_ms',
  'hops',
  'returns',
  'breaches_verification',
  'breaches_first_follow_up',
  'breaches_completion',
] as const;

export const complaintFactValues = (facts: ComplaintFacts): unknown[] => [
  facts.complaintId,
  facts.doorId,
  facts.instansiId,
  facts.rowNodeId,
  facts.kind,
  facts.category,
  facts.status,
  facts.receivedAt,
  facts.receivedOn,
  facts.receivedMonth,
  facts.reporterRef,
  facts.disposedWorkingDays,
  facts.followedUpWorkingDays,
  facts.completedWorkingDays,
  facts.handlingMs,
  facts.hops,
  facts.returns,
  facts.breachesVerification,
  facts.breachesFirstFollowUp,
  facts.breachesCompletion,
];

async function writeComplaintFacts(
  tx: SqlQueryable,
  schema: string,
  tree: OrganisationTree,
  calendar: Calendar,
  previous: Complaint | null,
  after: Complaint,
): Promise<void> {
  const next = complaintFactsOf(after, tree, calendar);
  if (previous && sameComplaintFacts(complaintFactsOf(previous, tree, calendar), next)) return;
  const columns = COMPLAINT_FACT_COLUMNS.join(', ');
  const placeholders = COMPLAINT_FACT_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
  const updates = COMPLAINT_FACT_COLUMNS.slice(1)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  await tx.query(
    `INSERT INTO ${schema}.complaint_facts (${columns}) VALUES (${placeholders}) ON CONFLICT (complaint_id) DO UPDATE SET ${updates}`,
    complaintFactValues(next),
  );
}

async function writeHops(tx: SqlQueryable, schema: string, tree: OrganisationTree, after: Complaint): Promise<void> {
  await tx.query(`DELETE FROM ${schema}.hop_facts WHERE complaint_id = $1`, [after.complaintId]);
  const hops = hopFactsOf(after, tree);
  if (hops.length === 0) return;
  const values = hops.map((_, row) => `(${Array.from({ length: 8 }, (_, column) => `$${1 + row * 8 + column}`).join(', ')})`).join(', ');
  await tx.query(
    `INSERT INTO ${schema}.hop_facts (complaint_id, seq, type, from_node_id, to_node_id, at, received_on, lost_ms) VALUES ${values}`,
    hops.flatMap((hop) => [hop.complaintId, hop.seq, hop.type, hop.fromNodeId, hop.toNodeId, hop.at, hop.receivedOn, hop.lostMs]),
  );
}
