import type { Calendar } from '@lapor/calendar';
import { complaintsStoredBefore, inKeyOrder, type EventEnvelope } from '@lapor/consumer-kit';
import { parseComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { rowsAsJson, type SqlQueryable } from '@lapor/sql';
import { foldPage, type FactsInterval, type StoredComplaint, type SummedRow } from './page-fold';
import {
  ADMIN_ACTION_COLUMNS,
  adminActionValues,
  BREACH_COLUMNS,
  breachValues,
  COMPLAINT_FACT_COLUMNS,
  complaintFactValues,
  HOP_FACT_COLUMNS,
  hopValues,
  RECAP_FACT_COLUMNS,
} from './projection-rows';

// A page of events into the statistics tables in one transaction (the caller's, which also records
// them as applied): what the tables hold of the page's complaints is read in two statements, the
// page is folded over it in memory (page-fold.ts), and every table it changes is written with one
// statement, so a page costs about a dozen statements however many events it holds. Rows go in as
// one JSON document a table, read by json_populate_recordset into the table's own column types.

interface StoredIntervalRow {
  complaint_id: string;
  valid_from: Date | string;
  valid_to: Date | string | null;
  received_on: string;
  row_node_id: string;
  status: string;
  rtl_ms: string | number | null;
  rating: number | null;
  rv_ms: string | number | null;
}

const orNull = (value: string | number | null): number | null => (value === null ? null : Number(value));
const isoOf = (value: Date | string): string => new Date(value).toISOString();

/** The page's complaints as the tables hold them (none for a complaint whose first event is in the page). */
async function readStored(tx: SqlQueryable, schema: string, events: readonly EventEnvelope[]): Promise<Map<string, StoredComplaint>> {
  const ids = complaintsStoredBefore(events);
  const stored = new Map<string, StoredComplaint>();
  if (ids.length === 0) return stored;
  const states = await tx.query<{ complaint_id: string; state: ComplaintState }>(
    `SELECT complaint_id, state FROM ${schema}.complaint_state WHERE complaint_id = ANY($1::text[])`,
    [ids],
  );
  // received_on as text: a date column comes back as a Date in local time otherwise
  const intervals = await tx.query<StoredIntervalRow>(
    `SELECT complaint_id, valid_from, valid_to, received_on::text AS received_on, row_node_id, status, rtl_ms, rating, rv_ms
     FROM ${schema}.recap_facts WHERE complaint_id = ANY($1::text[]) ORDER BY complaint_id, valid_from`,
    [ids],
  );
  const byComplaint = new Map<string, FactsInterval[]>();
  for (const row of intervals) {
    const list = byComplaint.get(row.complaint_id) ?? [];
    list.push({
      validFrom: isoOf(row.valid_from),
      validTo: row.valid_to === null ? null : isoOf(row.valid_to),
      receivedOn: row.received_on,
      facts: { rowNodeId: row.row_node_id, status: row.status, rtlMs: orNull(row.rtl_ms), rating: row.rating, rvMs: orNull(row.rv_ms) },
    });
    byComplaint.set(row.complaint_id, list);
  }
  for (const row of states) stored.set(row.complaint_id, { state: row.state, intervals: byComplaint.get(row.complaint_id) ?? [] });
  return stored;
}

const SUM_COLUMNS = ['n', 'rtl_ms', 'rtl_n', 'rating_sum', 'rating_n', 'rv_ms', 'rv_n'] as const;
const ADD_SUMS = SUM_COLUMNS.map((column) => `${column} = t.${column} + excluded.${column}`).join(', ');

/**
 * Writes to several tables sent as one statement, each a data-modifying WITH of its own: a page of
 * one event (most pages, at a steady rate) touches seven tables, and a statement costs a round trip
 * whatever it holds. The writes must not touch the same rows (they all see the statement's snapshot).
 */
class Writes {
  private readonly parts: string[] = [];
  private readonly parameters: unknown[] = [];

  /** `sql` numbers its own parameters from $1. */
  add(sql: string, parameters: readonly unknown[]): void {
    const first = this.parameters.length;
    this.parts.push(sql.replace(/\$(\d+)/g, (_match, n: string) => `$${first + Number(n)}`));
    this.parameters.push(...parameters);
  }

  rows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], conflict = ''): void {
    if (rows.length === 0) return;
    const names = columns.join(', ');
    this.add(`INSERT INTO ${table} AS t (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::json) ${conflict}`, [
      rowsAsJson(columns, rows),
    ]);
  }

  sums(table: string, keys: readonly string[], rows: readonly SummedRow[]): void {
    this.rows(table, [...keys, ...SUM_COLUMNS], rows, `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${ADD_SUMS}`);
  }

  async send(tx: SqlQueryable): Promise<void> {
    if (this.parts.length === 0) return;
    const [only] = this.parts;
    if (this.parts.length === 1) await tx.query(only!, this.parameters);
    else await tx.query(`WITH ${this.parts.map((part, index) => `w${index} AS (${part})`).join(', ')} SELECT 1`, this.parameters);
  }
}

export async function applyStatisticsPage(
  tx: SqlQueryable,
  schema: string,
  tree: OrganisationTree,
  calendar: Calendar,
  envelopes: readonly EventEnvelope[],
): Promise<void> {
  if (envelopes.length === 0) return;
  const events = envelopes.map((envelope) => ({
    complaintId: envelope.complaintId,
    event: parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data }),
  }));
  const writes = foldPage(events, await readStored(tx, schema, envelopes), tree, calendar);

  const states = inKeyOrder(writes.states);
  // first what replaces rows (the complaints' states, and the intervals and hops about to be
  // written again taken away), then every row added: two statements, however many tables
  const replacing = new Writes();
  replacing.add(
    `INSERT INTO ${schema}.complaint_state (complaint_id, state) SELECT * FROM unnest($1::text[], $2::json[])
     ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state`,
    [states.map(([complaintId]) => complaintId), states.map(([, state]) => JSON.stringify(state))],
  );
  if (writes.intervals.size > 0) replacing.add(`DELETE FROM ${schema}.recap_facts WHERE complaint_id = ANY($1::text[])`, [[...writes.intervals.keys()]]);
  if (writes.hopsReplaced.length > 0) replacing.add(`DELETE FROM ${schema}.hop_facts WHERE complaint_id = ANY($1::text[])`, [writes.hopsReplaced]);
  await replacing.send(tx);

  const adding = new Writes();
  adding.rows(
    `${schema}.recap_facts`,
    RECAP_FACT_COLUMNS,
    [...writes.intervals].flatMap(([complaintId, intervals]) =>
      intervals.map((interval) => [
        complaintId,
        interval.validFrom,
        interval.validTo,
        interval.facts.rowNodeId,
        interval.facts.status,
        interval.receivedOn,
        interval.facts.rtlMs,
        interval.facts.rating,
        interval.facts.rvMs,
      ]),
    ),
  );
  adding.sums(`${schema}.recap_changes`, ['span', 'changed', 'bucket', 'row_node_id', 'status'], writes.changes);
  adding.sums(`${schema}.recap_daily`, ['bucket', 'row_node_id', 'status'], writes.daily);
  adding.sums(`${schema}.recap_monthly`, ['bucket', 'row_node_id', 'status'], writes.monthly);
  adding.rows(
    `${schema}.complaint_facts`,
    COMPLAINT_FACT_COLUMNS,
    writes.facts.map(complaintFactValues),
    `ON CONFLICT (complaint_id) DO UPDATE SET ${COMPLAINT_FACT_COLUMNS.slice(1)
      .map((column) => `${column} = excluded.${column}`)
      .join(', ')}`,
  );
  adding.rows(`${schema}.hop_facts`, HOP_FACT_COLUMNS, writes.hops.map(hopValues));
  adding.rows(`${schema}.sla_breaches`, BREACH_COLUMNS, writes.breaches.map(breachValues), 'ON CONFLICT DO NOTHING');
  adding.rows(`${schema}.admin_actions`, ADMIN_ACTION_COLUMNS, writes.actions.map(adminActionValues), 'ON CONFLICT DO NOTHING');
  await adding.send(tx);
}
