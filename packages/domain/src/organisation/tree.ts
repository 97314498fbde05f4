import { NATIONAL_TIME_ZONE } from './nodes';
import type { IndonesianTimeZone, NodeRef, OrganisationNode } from './nodes';
import { OrganisationTreeError, validateOrganisation } from './validation';

// The organisation tree and the questions services ask of it: who is above, who is below,
// whose scope a node is in, which instansi and time zone it belongs to.

export class UnknownNodeError extends Error {
  constructor(readonly nodeId: string) {
    super(`Unknown organisation node: ${nodeId}`);
    this.name = 'UnknownNodeError';
  }
}

export type InstansiNode = Extract<OrganisationNode, { kind: 'instansi' }>;

export interface OrganisationTree {
  readonly root: OrganisationNode;
  readonly nodes: readonly OrganisationNode[];
  has(nodeId: string): boolean;
  /** Throws UnknownNodeError for an id not in the tree. */
  node(nodeId: string): OrganisationNode;
  nodeRef(nodeId: string): NodeRef;
  /** Nearest first: parent, grandparent, …, nasional. */
  ancestorsOf(nodeId: string): OrganisationNode[];
  childrenOf(nodeId: string): OrganisationNode[];
  /** Every node below, depth first; the node itself is not included. */
  descendantsOf(nodeId: string): OrganisationNode[];
  /** True when nodeId is scopeNodeId or below it. Unknown ids are never in scope. */
  isWithinScope(nodeId: string, scopeNodeId: string): boolean;
  /** The instansi a node belongs to (itself for an instansi); null for nasional. */
  instansiOf(nodeId: string): InstansiNode | null;
  /** A unit works in its instansi's zone; nasional works on WIB. */
  timeZoneOf(nodeId: string): IndonesianTimeZone;
  /** False for a deactivated node (it stays in the tree for the complaints and recaps that name it) and for an unknown id. */
  isActive(nodeId: string): boolean;
  /** The unit answering today for one merged or split away (through every later restructuring); null for any other node. */
  successorOf(nodeId: string): string | null;
}

export interface OrganisationTreeOptions {
  /** Nodes that take no new work: deactivated by an administrator. */
  readonly inactive?: ReadonlySet<string>;
  /** Each merged or split node's direct successor. */
  readonly successors?: ReadonlyMap<string, string>;
}

export function buildOrganisationTree(input: readonly OrganisationNode[], options: OrganisationTreeOptions = {}): OrganisationTree {
  const problems = validateOrganisation(input);
  if (problems.length > 0) throw new OrganisationTreeError(problems);

  const byId = new Map(input.map((node) => [node.id, node] as const));
  const children = new Map<string, OrganisationNode[]>();
  for (const node of input) {
    if (node.parentId === null) continue;
    children.set(node.parentId, [...(children.get(node.parentId) ?? []), node]);
  }

  const node = (nodeId: string): OrganisationNode => {
    const found = byId.get(nodeId);
    if (!found) throw new UnknownNodeError(nodeId);
    return found;
  };

  const ancestorsOf = (nodeId: string): OrganisationNode[] => {
    const ancestors: OrganisationNode[] = [];
    let parentId = node(nodeId).parentId;
    while (parentId !== null) {
      const parent = node(parentId);
      ancestors.push(parent);
      parentId = parent.parentId;
    }
    return ancestors;
  };

  const childrenOf = (nodeId: string): OrganisationNode[] => {
    node(nodeId);
    return [...(children.get(nodeId) ?? [])];
  };

  const descendantsOf = (nodeId: string): OrganisationNode[] => childrenOf(nodeId).flatMap((child) => [child, ...descendantsOf(child.id)]);

  const instansiOf = (nodeId: string): InstansiNode | null => {
    const self = node(nodeId);
    if (self.kind === 'instansi') return self;
    return ancestorsOf(nodeId).find((n): n is InstansiNode => n.kind === 'instansi') ?? null;
  };

  const root = input.find((n) => n.kind === 'nasional');
  if (!root) throw new OrganisationTreeError([{ code: 'NO_ROOT', nodeId: null, message: 'no nasional node' }]);

  return {
    root,
    nodes: [...input],
    has: (nodeId) => byId.has(nodeId),
    node,
    nodeRef: (nodeId) => {
      const { id, kind, parentId } = node(nodeId);
      return { id, kind, parentId };
    },
    ancestorsOf,
    childrenOf,
    descendantsOf,
    isWithinScope: (nodeId, scopeNodeId) =>
      byId.has(nodeId) && byId.has(scopeNodeId) && (nodeId === scopeNodeId || ancestorsOf(nodeId).some((ancestor) => ancestor.id === scopeNodeId)),
    instansiOf,
    timeZoneOf: (nodeId) => instansiOf(nodeId)?.timeZone ?? NATIONAL_TIME_ZONE,
    isActive: (nodeId) => byId.has(nodeId) && !(options.inactive?.has(nodeId) ?? false),
    successorOf: (nodeId) => {
      // a chain of restructurings ends at a node with no successor; a loop cannot be decided, but is guarded anyway
      let current = options.successors?.get(nodeId);
      for (let steps = 0; current !== undefined && steps < byId.size; steps += 1) {
        const next = options.successors?.get(current);
        if (next === undefined) return current;
        current = next;
      }
      return current ?? null;
    },
  };
}
