import type { OrganisationTree } from '@lapor/domain';

/**
 * The SQL condition keeping rows of a node's subtree, as `AND column = ANY($n)`. At the root of the
 * tree it keeps everything, and the parameter is a harmless null so placeholders keep their numbers.
 */
export function subtreeFilter(tree: OrganisationTree, nodeId: string, column: string, parameter: number): { sql: string; param: string[] | null } {
  if (tree.node(nodeId).parentId === null) return { sql: `AND ($${parameter}::text[] IS NULL)`, param: null };
  return { sql: `AND ${column} = ANY($${parameter}::text[])`, param: [nodeId, ...tree.descendantsOf(nodeId).map((node) => node.id)] };
}

/**
 * For rows that belong to nodes, which row of a "node and the nodes below it" table each counts in:
 * the child of `nodeId` whose subtree holds it, `nodeId` itself, or none (outside the subtree).
 */
export function rowFinder(tree: OrganisationTree, nodeId: string): (rowNodeId: string) => { inScope: boolean; child: string | undefined } {
  const children = tree.childrenOf(nodeId);
  const found = new Map<string, { inScope: boolean; child: string | undefined }>();
  return (rowNodeId) => {
    let answer = found.get(rowNodeId);
    if (!answer) {
      const inScope = tree.has(rowNodeId) && tree.isWithinScope(rowNodeId, nodeId);
      const child = inScope && rowNodeId !== nodeId ? children.find((candidate) => tree.isWithinScope(rowNodeId, candidate.id))?.id : undefined;
      answer = { inScope, child };
      found.set(rowNodeId, answer);
    }
    return answer;
  };
}
