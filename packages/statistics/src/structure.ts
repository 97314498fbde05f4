import type { IndonesianTimeZone, OrganisationTree } from '@lapor/domain';
import { zoneOffsetText } from '@lapor/calendar';

// Which organisation a recap's rows are drawn in. The read model counts each complaint at the unit
// it was disposed to (a merged unit keeps its own: see rowNodeOf); a report asks for those counts
// in one of two structures:
// - 'as-of' (the default): the tree as it stood at the period's end (or at asOf), with the names
//   and the nesting of the time. A published report reads the same after any later restructuring:
//   the seeds' 2023 tables, copied into yearly reports by hand, must not move when a unit is renamed
//   or merged in 2025; and an official comparing with last year's report sees last year's rows.
// - 'current': today's tree, a merged or split unit's history rolled into its successor: for
//   following one service across the years.

export const RECAP_STRUCTURES = ['as-of', 'current'] as const;
export type RecapStructure = (typeof RECAP_STRUCTURES)[number];

export interface ReportingTree {
  /** The rows: a node and the nodes directly below it, named and nested as in this tree. */
  readonly tree: OrganisationTree;
  /** The node of `tree` a read-model row node counts in; null when none (outside every subtree). */
  placeOf(rowNodeId: string): string | null;
  /** The read-model row nodes that may count in `nodeId`'s subtree (a superset), or null for all of them. */
  candidates(nodeId: string): string[] | null;
}

/** Row nodes that may count below `nodeId`: a restructuring never leaves its instansi, so that instansi's subtree today. */
function instansiSubtree(current: OrganisationTree, nodeId: string): string[] | null {
  const scope = current.has(nodeId) ? current.instansiOf(nodeId) : null;
  if (scope === null) return null;
  return [scope.id, ...current.descendantsOf(scope.id).map((node) => node.id)];
}

/** Today's tree, each merged or split unit counted in its successor. */
export function currentStructure(current: OrganisationTree): ReportingTree {
  return {
    tree: current,
    placeOf: (rowNodeId) => (current.has(rowNodeId) ? (current.successorOf(rowNodeId) ?? rowNodeId) : null),
    candidates: (nodeId) => instansiSubtree(current, nodeId),
  };
}

/**
 * The tree as it stood then. A row node created later (a complaint of the period disposed, after
 * the period, to a unit that did not exist yet) counts in its nearest ancestor that did, so no
 * complaint leaves the totals.
 */
export function asOfStructure(current: OrganisationTree, then: OrganisationTree): ReportingTree {
  const placeOf = (rowNodeId: string): string | null => {
    if (then.has(rowNodeId)) return rowNodeId;
    if (!current.has(rowNodeId)) return null;
    return current.ancestorsOf(rowNodeId).find((ancestor) => then.has(ancestor.id))?.id ?? null;
  };
  return { tree: then, placeOf, candidates: (nodeId) => instansiSubtree(current, nodeId) };
}

/** The tree's own rows, nothing moved: what a caller that names no structure gets. */
export function plainStructure(tree: OrganisationTree): ReportingTree {
  return { tree, placeOf: (rowNodeId) => (tree.has(rowNodeId) ? rowNodeId : null), candidates: () => null };
}

/** The last moment of a period's last day in a zone: when the as-of structure is taken without asOf. */
export const endOfLocalDay = (date: string, zone: IndonesianTimeZone): Date => new Date(`${date}T23:59:59.999${zoneOffsetText(zone)}`);
