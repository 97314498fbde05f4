import { complaintDecider, type Complaint, type ComplaintEvent, type ComplaintState, type ComplaintStatus, type OrganisationTree } from '@lapor/domain';
import { isWithinPeriod, receivedOnOf, type Period } from './local-date';
import type { UnitRecapRow } from './rows';

export interface RecapQuery {
  /** Complaints received on these local dates (the zone of the door each came in by). */
  readonly period: Period;
  /** The tables as they stood at this moment (default: everything known). */
  readonly asOf?: Date;
  /** The parent whose own row and the rows of the nodes directly below it are wanted. */
  readonly nodeId: string;
}

export interface UnitRecap {
  /** The parent, rolled up from everything in its subtree. */
  readonly total: UnitRecapRow;
  /** Each node directly below, rolled up from its own subtree ("Rekapitulasi Kinerja Unit di Bawah"). */
  readonly below: readonly UnitRecapRow[];
}

/** The recap column each status counts in. */
export const STATUS_COLUMN = {
  BELUM_TERVERIFIKASI: 'belumTerverifikasi',
  BELUM_DITINDAKLANJUTI: 'belumDitindaklanjuti',
  PROSES: 'proses',
  SELESAI: 'selesai',
  TUNDA: 'tunda',
  ARSIP: 'arsip',
} as const satisfies Record<ComplaintStatus, string>;
export type StatusColumn = (typeof STATUS_COLUMN)[ComplaintStatus];

/**
 * A sum and how many values went into it: what an average is rolled up from. Durations are summed
 * in whole milliseconds, so a sum that is added to and taken from stays exact.
 */
export type Tally = readonly [sum: number, count: number];

interface Counts {
  statuses: Partial<Record<StatusColumn, number>>;
  rtlMs: number[];
  ratings: number[];
  rvMs: number[];
}

export const DAY_MS = 86_400_000;
/** Milliseconds between two instants, null when either is missing. */
export const millisBetween = (from: string | null, to: string | null): number | null => (from && to ? Date.parse(to) - Date.parse(from) : null);
const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The complaint as it stood at `asOf`: its events up to that moment, folded. */
export function complaintAsOf(events: readonly ComplaintEvent[], asOf?: Date): ComplaintState {
  const until = asOf?.getTime() ?? Infinity;
  return events.filter((event) => Date.parse(event.data.at) <= until).reduce(complaintDecider.evolve, complaintDecider.initialState());
}

/**
 * Which row a complaint counts in: the unit it was disposed to, else whoever holds it. A complaint
 * handed to a successor when its unit was merged or split still counts at that unit: the report in
 * the structure of its time shows it there, the current structure under the successor
 * (structure.ts), and nothing a restructuring does rewrites an earlier interval of the recap.
 */
export function rowNodeOf(complaint: Complaint): string {
  let handedOverFrom: string | undefined;
  for (let index = complaint.hops.length - 1; index >= 0 && complaint.hops[index]!.type === 'succession'; index -= 1) {
    handedOverFrom = complaint.hops[index]!.from;
  }
  return handedOverFrom ?? complaint.assignedUnit?.id ?? complaint.holder.id;
}

/**
 * The per-unit recap, computed straight from each complaint's events: the definition the read
 * models are checked against. Pure: same events, same query, same table, at any later time.
 */
export function unitRecap(histories: ReadonlyArray<readonly ComplaintEvent[]>, tree: OrganisationTree, query: RecapQuery): UnitRecap {
  const children = tree.childrenOf(query.nodeId);
  const counts = new Map<string, Counts>([[query.nodeId, emptyCounts()], ...children.map((child) => [child.id, emptyCounts()] as const)]);

  for (const events of histories) {
    const state = complaintAsOf(events, query.asOf);
    if (!state.submitted) continue;
    if (!isWithinPeriod(receivedOnOf(state, tree), query.period)) continue;
    const nodeId = rowNodeOf(state);
    if (!tree.has(nodeId) || !tree.isWithinScope(nodeId, query.nodeId)) continue;
    // the parent's own row rolls up its whole subtree; a child's row, the child's subtree
    const child = nodeId === query.nodeId ? undefined : children.find((candidate) => tree.isWithinScope(nodeId, candidate.id));
    for (const target of [query.nodeId, ...(child ? [child.id] : [])]) add(counts.get(target)!, state);
  }

  const row = (nodeId: string): UnitRecapRow => toRow(nodeId, tree.node(nodeId).name, counts.get(nodeId)!);
  return { total: row(query.nodeId), below: children.map((child) => row(child.id)) };
}

function emptyCounts(): Counts {
  return { statuses: {}, rtlMs: [], ratings: [], rvMs: [] };
}

function add(counts: Counts, complaint: Complaint): void {
  const column = STATUS_COLUMN[complaint.status];
  counts.statuses[column] = (counts.statuses[column] ?? 0) + 1;
  const rtl = millisBetween(complaint.assignedAt, complaint.firstFollowUpAt);
  if (rtl !== null) counts.rtlMs.push(rtl);
  if (complaint.rating !== null) counts.ratings.push(complaint.rating);
  const rv = millisBetween(complaint.receivedAt, complaint.verificationDecidedAt);
  if (rv !== null) counts.rvMs.push(rv);
}

const tally = (values: readonly number[]): Tally => [values.reduce((a, b) => a + b, 0), values.length];

function toRow(nodeId: string, name: string, counts: Counts): UnitRecapRow {
  return recapRow(nodeId, name, counts.statuses, { rtlMs: tally(counts.rtlMs), rating: tally(counts.ratings), rvMs: tally(counts.rvMs) });
}

/** A row from counts per status and the tallies behind its averages: the one place the columns are derived. */
export function recapRow(
  nodeId: string,
  name: string,
  statuses: Partial<Record<StatusColumn, number>>,
  tallies: { readonly rtlMs: Tally; readonly rating: Tally; readonly rvMs: Tally },
): UnitRecapRow {
  const c = (column: StatusColumn): number => statuses[column] ?? 0;
  const total = c('belumTerverifikasi') + c('belumDitindaklanjuti') + c('proses') + c('selesai');
  const mean = ([sum, count]: Tally, decimals: number, unit = 1): number => (count === 0 ? 0 : round(sum / count / unit, decimals));
  return {
    nodeId,
    name,
    belumTerverifikasi: c('belumTerverifikasi'),
    belumDitindaklanjuti: c('belumDitindaklanjuti'),
    proses: c('proses'),
    selesai: c('selesai'),
    tunda: c('tunda'),
    arsip: c('arsip'),
    total,
    persenTindakLanjut: total === 0 ? 0 : round(((c('proses') + c('selesai')) / total) * 100, 2),
    rtl: mean(tallies.rtlMs, 1, DAY_MS),
    rhp: mean(tallies.rating, 2),
    rv: mean(tallies.rvMs, 1, DAY_MS),
  };
}
