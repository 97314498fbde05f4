import type { NodeLookup } from '@lapor/accounts';
import type { OrganisationTree } from '@lapor/domain';

/** What the account rules need of the tree (where a node sits, its kind, whether it is active), read off the tree as it is now. */
export function nodeFactsOf(tree: OrganisationTree): NodeLookup {
  return {
    facts(nodeId) {
      if (!tree.has(nodeId)) return undefined;
      const path = [
        ...tree
          .ancestorsOf(nodeId)
          .map((node) => node.id)
          .reverse(),
        nodeId,
      ];
      return { path, kind: tree.node(nodeId).kind, active: tree.isActive(nodeId) };
    },
  };
}
