import type { Calendar } from '@lapor/calendar';
import { isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
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
import { CHANGE_SPANS, changeSpansOf, changesOf, type Interval } from './recap-changes';
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
      const [stored] = isFirstEventOfComplaint(envelope)
        ? []
        : await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${schema}.complaint_state WHERE complaint_id = $1`, [envelope.complaintId]);
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
      if (previous === null || previous.hops.length !== after.hops.length) await writeHops(tx, schema, tree, after, previous !== null);
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
  // the intervals this change rewrites, as they were and as they will be: their changes are taken
  // back and put in again, so the sums follow whatever order the moments come in
  // a complaint counted for the first time has no intervals yet (they are written from its submission on)
  const closed = previous
    ? await tx.query<StoredInterval>(
        `UPDATE ${schema}.recap_facts SET valid_to = $2 WHERE complaint_id = $1 AND valid_to IS NULL RETURNING ${STORED_INTERVAL}`,
        [after.complaintId, at],
      )
    : [];
  const replaced = previous
    ? await tx.query<StoredInterval>(`SELECT ${STORED_INTERVAL} FROM ${schema}.recap_facts WHERE complaint_id = $1 AND valid_from = $2`, [
        after.complaintId,
        at,
      ])
    : [];
  await tx.query(
    `INSERT INTO ${schema}.recap_facts (complaint_id, valid_from, row_node_id, status, received_on, rtl_ms, rating, rv_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (complaint_id, valid_from) DO UPDATE SET row_node_id = excluded.row_node_id, status = excluded.status,
       rtl_ms = excluded.rtl_ms, rating = excluded.rating, rv_ms = excluded.rv_ms, valid_to = NULL`,
    [after.complaintId, at, next.rowNodeId, next.status, receivedOn, next.rtlMs, next.rating, next.rvMs],
  );
  const changes: SpanDelta[] = [];
  const count = (interval: StoredInterval | Interval, sign: 1 | -1, bucket: string) => {
    const stored = 'valid_from' in interval ? storedInterval(interval) : interval;
    for (const change of changesOf(stored)) changes.push({ at: change.at, bucket, delta: bucketDelta(stored.facts, (change.sign * sign) as 1 | -1) });
  };
  for (const row of closed) {
    count({ ...row, valid_to: null }, -1, monthOf(row.received_on));
    count(row, 1, monthOf(row.received_on));
  }
  for (const row of replaced) count(row, -1, monthOf(row.received_on));
  count({ validFrom: at, validTo: null, facts: next }, 1, monthOf(receivedOn));
  await addToChanges(tx, schema, changes);

  const deltas = [...(prior ? [bucketDelta(prior, -1)] : []), bucketDelta(next, 1)];
  await addToBuckets(tx, `${schema}.recap_daily`, receivedOn, deltas);
  await addToBuckets(tx, `${schema}.recap_monthly`, monthOf(receivedOn), deltas);
}

interface StoredInterval {
  valid_from: Date | string;
  valid_to: Date | string | null;
  received_on: string;
  row_node_id: string;
  status: string;
  rtl_ms: string | number | null;
  rating: number | null;
  rv_ms: string | number | null;
}
// received_on as text: a date column comes back as a Date in local time otherwise
const STORED_INTERVAL = `valid_from, valid_to, received_on::text AS received_on, row_node_id, status, rtl_ms, rating, rv_ms`;
const orNull = (value: string | number | null): number | null => (value === null ? null : Number(value));
const storedInterval = (row: StoredInterval): Interval => ({
  validFrom: new Date(row.valid_from).toISOString(),
  validTo: row.valid_to === null ? null : new Date(row.valid_to).toISOString(),
  facts: { rowNodeId: row.row_node_id, status: row.status, rtlMs: orNull(row.rtl_ms), rating: row.rating, rvMs: orNull(row.rv_ms) },
});

interface SpanDelta {
  at: string;
  bucket: string;
  delta: BucketDelta;
}

/** Adds the changes to recap_changes in one statement, merged per key and in key order (as addToBuckets, for the same reason). */
async function addToChanges(tx: SqlQueryable, schema: string, changes: readonly SpanDelta[]): Promise<void> {
  const merged = new Map<string, [string, string, string, ...BucketDelta]>();
  for (const { at, bucket, delta } of changes) {
    const spans = changeSpansOf(at);
    for (const span of CHANGE_SPANS) {
      const key = [span, spans[span], bucket, delta[0], delta[1]].join('\u0000');
      const sum = merged.get(key);
      if (!sum) merged.set(key, [span, spans[span], bucket, ...delta]);
      else for (let index = 5; index < 12; index++) (sum[index] as number) += delta[index - 3] as number;
    }
  }
  if (merged.size === 0) return;
  const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const values = rows.map((_, row) => `(${Array.from({ length: 12 }, (_, column) => `$${1 + row * 12 + column}`).join(', ')})`).join(', ');
  await tx.query(
    `INSERT INTO ${schema}.recap_changes AS t (span, changed, bucket, row_node_id, status, n, rtl_ms, rtl_n, rating_sum, rating_n, rv_ms, rv_n) VALUES ${values}
     ON CONFLICT (span, changed, bucket, row_node_id, status) DO UPDATE SET n = t.n + excluded.n, rtl_ms = t.rtl_ms + excluded.rtl_ms,
       rtl_n = t.rtl_n + excluded.rtl_n, rating_sum = t.rating_sum + excluded.rating_sum, rating_n = t.rating_n + excluded.rating_n,
       rv_ms = t.rv_ms + excluded.rv_ms, rv_n = t.rv_n + excluded.rv_n`,
    rows.flat(),
  );
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

async function writeHops(tx: SqlQueryable, schema: string, tree: OrganisationTree, after: Complaint, written: boolean): Promise<void> {
  if (written) await tx.query(`DELETE FROM ${schema}.hop_facts WHERE complaint_id = $1`, [after.complaintId]);
  const hops = hopFactsOf(after, tree);
  if (hops.length === 0) return;
  const values = hops.map((_, row) => `(${Array.from({ length: 8 }, (_, column) => `$${1 + row * 8 + column}`).join(', ')})`).join(', ');
  await tx.query(
    `INSERT INTO ${schema}.hop_facts (complaint_id, seq, type, from_node_id, to_node_id, at, received_on, lost_ms) VALUES ${values}`,
    hops.flatMap((hop) => [hop.complaintId, hop.seq, hop.type, hop.fromNodeId, hop.toNodeId, hop.at, hop.receivedOn, hop.lostMs]),
  );
}
