import { complaintDecider, parseComplaintEvent, type Complaint, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/event-store';
import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { recapRow, rowNodeOf, STATUS_COLUMN, type RecapQuery, type StatusColumn, type Tally, type UnitRecap, type UnitRecapRow } from './unit-recap';

const SCHEMA = 'statistics';

/**
 * The recap's read model: for each complaint, the facts a recap row needs, as intervals of time
 * (valid_from, valid_to): the table as it stood at any moment is the rows valid then.
 */
export async function prepareStatisticsTables(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    SCHEMA,
    `
      -- the folded complaint, to compute the next facts from
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.complaint_state (complaint_id text PRIMARY KEY, state jsonb NOT NULL);
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.recap_facts (
        complaint_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        row_node_id text NOT NULL,
        status text NOT NULL,
        received_at timestamptz NOT NULL,
        rtl_days double precision,
        rating integer,
        rv_days double precision,
        PRIMARY KEY (complaint_id, valid_from)
      );
      CREATE INDEX IF NOT EXISTS recap_facts_received ON ${SCHEMA}.recap_facts (received_at);`,
  );
}

const DAY_MS = 86_400_000;
const days = (from: string | null, to: string | null): number | null => (from && to ? (Date.parse(to) - Date.parse(from)) / DAY_MS : null);

interface Facts {
  readonly rowNodeId: string;
  readonly status: string;
  readonly rtlDays: number | null;
  readonly rating: number | null;
  readonly rvDays: number | null;
}

const factsOf = (complaint: Complaint): Facts => ({
  rowNodeId: rowNodeOf(complaint),
  status: complaint.status,
  rtlDays: days(complaint.assignedAt, complaint.firstFollowUpAt),
  rating: complaint.rating,
  rvDays: days(complaint.receivedAt, complaint.verificationDecidedAt),
});
const sameFacts = (a: Facts, b: Facts): boolean =>
  a.rowNodeId === b.rowNodeId && a.status === b.status && a.rtlDays === b.rtlDays && a.rating === b.rating && a.rvDays === b.rvDays;

/** The projection as a consumer-kit handler: the same code behind Kafka or the in-process log. */
export const statisticsProjection: EventHandler = {
  name: 'statistics',
  async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
    const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
    const [stored] = await tx.query<{ state: ComplaintState }>(`SELECT state FROM ${SCHEMA}.complaint_state WHERE complaint_id = $1`, [envelope.complaintId]);
    const before = stored?.state ?? complaintDecider.initialState();
    const after = complaintDecider.evolve(before, event);
    await tx.query(
      `INSERT INTO ${SCHEMA}.complaint_state (complaint_id, state) VALUES ($1, $2::jsonb) ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state`,
      [envelope.complaintId, JSON.stringify(after)],
    );
    if (!after.submitted) return;
    const next = factsOf(after);
    if (before.submitted && sameFacts(factsOf(before), next)) return;
    const at = event.data.at;
    await tx.query(`UPDATE ${SCHEMA}.recap_facts SET valid_to = $2 WHERE complaint_id = $1 AND valid_to IS NULL`, [envelope.complaintId, at]);
    await tx.query(
      `INSERT INTO ${SCHEMA}.recap_facts (complaint_id, valid_from, row_node_id, status, received_at, rtl_days, rating, rv_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (complaint_id, valid_from) DO UPDATE SET row_node_id = excluded.row_node_id, status = excluded.status,
         rtl_days = excluded.rtl_days, rating = excluded.rating, rv_days = excluded.rv_days, valid_to = NULL`,
      [envelope.complaintId, at, next.rowNodeId, next.status, after.receivedAt, next.rtlDays, next.rating, next.rvDays],
    );
  },
};

interface Group {
  row_node_id: string;
  status: string;
  n: string | number;
  rtl_sum: number | null;
  rtl_n: string | number;
  rating_sum: string | number | null;
  rating_n: string | number;
  rv_sum: number | null;
  rv_n: string | number;
}

/** The recap served from the read model: one grouped query, rolled up along the tree. */
export async function queryUnitRecap(db: SqlQueryable, tree: OrganisationTree, query: RecapQuery): Promise<UnitRecap> {
  const asOf = (query.asOf ?? new Date('9999-12-31T00:00:00Z')).toISOString();
  const groups = await db.query<Group>(
    `SELECT row_node_id, status, count(*) AS n,
            sum(rtl_days) AS rtl_sum, count(rtl_days) AS rtl_n,
            sum(rating) AS rating_sum, count(rating) AS rating_n,
            sum(rv_days) AS rv_sum, count(rv_days) AS rv_n
     FROM ${SCHEMA}.recap_facts
     WHERE received_at >= $1 AND received_at < $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
     GROUP BY row_node_id, status`,
    [query.receivedFrom.toISOString(), query.receivedBefore.toISOString(), asOf],
  );
  const children = tree.childrenOf(query.nodeId);
  const totals = new Map<string, Accumulator>([[query.nodeId, accumulator()], ...children.map((child) => [child.id, accumulator()] as const)]);
  for (const group of groups) {
    if (!tree.has(group.row_node_id) || !tree.isWithinScope(group.row_node_id, query.nodeId)) continue;
    const child = group.row_node_id === query.nodeId ? undefined : children.find((candidate) => tree.isWithinScope(group.row_node_id, candidate.id));
    for (const target of [query.nodeId, ...(child ? [child.id] : [])]) addGroup(totals.get(target)!, group);
  }
  const row = (nodeId: string): UnitRecapRow => toRow(nodeId, tree.node(nodeId).name, totals.get(nodeId)!);
  return { total: row(query.nodeId), below: children.map((child) => row(child.id)) };
}

interface Accumulator {
  statuses: Partial<Record<StatusColumn, number>>;
  rtl: Tally;
  rating: Tally;
  rv: Tally;
}
const accumulator = (): Accumulator => ({ statuses: {}, rtl: [0, 0], rating: [0, 0], rv: [0, 0] });
const plus = ([sum, count]: Tally, addSum: number | string | null, addCount: number | string): Tally => [sum + Number(addSum ?? 0), count + Number(addCount)];

function addGroup(acc: Accumulator, group: Group): void {
  const column = STATUS_COLUMN[group.status as keyof typeof STATUS_COLUMN];
  acc.statuses[column] = (acc.statuses[column] ?? 0) + Number(group.n);
  acc.rtl = plus(acc.rtl, group.rtl_sum, group.rtl_n);
  acc.rating = plus(acc.rating, group.rating_sum, group.rating_n);
  acc.rv = plus(acc.rv, group.rv_sum, group.rv_n);
}

const toRow = (nodeId: string, name: string, acc: Accumulator): UnitRecapRow => recapRow(nodeId, name, acc.statuses, acc);
