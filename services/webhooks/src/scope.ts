import type { ComplaintState, OrganisationTree } from '@lapor/domain';

// Whose business an event is. A subscription belongs to a node (an instansi, or nasional) and hears
// the events of the complaints that came in by its door or are inside it. A complaint that leaves
// (Bukan Wewenang up to nasional, then on to another instansi) is still the old instansi's
// business for the event that takes it away, and the new one's from the event that brings it in.

/** The nodes a complaint's event concerns: its door and its instansi before and after the event. */
export function concernedNodes(before: ComplaintState, after: ComplaintState): string[] {
  const nodes = new Set<string>();
  for (const state of [before, after]) {
    if (!state.submitted) continue;
    nodes.add(state.addressedTo.id);
    if (state.instansiId) nodes.add(state.instansiId);
  }
  return [...nodes];
}

/**
 * Every subscription node that sees an event concerning these nodes: each node and all above it.
 * A node the tree does not know (removed since) is still matched by itself.
 */
export function subscriberNodes(tree: OrganisationTree, concerned: readonly string[]): string[] {
  const nodes = new Set<string>();
  for (const nodeId of concerned) {
    nodes.add(nodeId);
    if (tree.has(nodeId)) for (const ancestor of tree.ancestorsOf(nodeId)) nodes.add(ancestor.id);
  }
  return [...nodes];
}
