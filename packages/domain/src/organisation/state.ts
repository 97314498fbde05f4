import type { InstansiKind } from './commands';
import type { OrganisationEvent } from './events';
import type { OrganisationNode } from './nodes';

// The tree as decide needs it: every node ever registered, whether it still takes work, and an
// instansi's kind (null for the seed's, which did not record one). A deactivated node stays: the
// complaints and recaps that name it still need its name and its place.

export interface OrganisationNodeState {
  readonly node: OrganisationNode;
  readonly active: boolean;
  readonly instansiKind: InstansiKind | null;
  /** The unit that took over when this one was merged or split away; null otherwise. */
  readonly successor: { readonly nodeId: string; readonly reason: 'MERGE' | 'SPLIT' } | null;
}

export interface OrganisationState {
  readonly nodes: ReadonlyMap<string, OrganisationNodeState>;
}

export const initialOrganisationState = (): OrganisationState => ({ nodes: new Map() });

/** One event applied to a map the caller owns: the single definition both evolve and the bulk fold use. */
function applyTo(nodes: Map<string, OrganisationNodeState>, event: OrganisationEvent): void {
  const existing = (nodeId: string): OrganisationNodeState => {
    const found = nodes.get(nodeId);
    if (!found) throw new Error(`${event.type} names a node never registered: ${nodeId}`);
    return found;
  };
  switch (event.type) {
    case 'OrganisationNodeRegistered':
      nodes.set(event.data.id, { node: event.data, active: true, instansiKind: null, successor: null });
      return;
    case 'InstansiRegistered': {
      const { nodeId, name, parentId, timeZone, instansiKind } = event.data;
      nodes.set(nodeId, { node: { kind: 'instansi', id: nodeId, name, parentId, timeZone }, active: true, instansiKind, successor: null });
      return;
    }
    case 'UnitAdded': {
      const { nodeId, name, parentId, kind } = event.data;
      nodes.set(nodeId, { node: { kind, id: nodeId, name, parentId }, active: true, instansiKind: null, successor: null });
      return;
    }
    case 'NodeRenamed': {
      const current = existing(event.data.nodeId);
      nodes.set(event.data.nodeId, { ...current, node: { ...current.node, name: event.data.name } });
      return;
    }
    case 'NodeMoved': {
      const current = existing(event.data.nodeId);
      const { id, name } = current.node;
      nodes.set(id, { ...current, node: { kind: event.data.kind, id, name, parentId: event.data.parentId } });
      return;
    }
    case 'NodeDeactivated':
      nodes.set(event.data.nodeId, { ...existing(event.data.nodeId), active: false });
      return;
    case 'UnitsMerged':
      for (const nodeId of event.data.nodeIds)
        nodes.set(nodeId, { ...existing(nodeId), active: false, successor: { nodeId: event.data.successorId, reason: 'MERGE' } });
      return;
    case 'UnitSplit':
      nodes.set(event.data.nodeId, { ...existing(event.data.nodeId), active: false, successor: { nodeId: event.data.heirId, reason: 'SPLIT' } });
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown organisation event ${(unhandled as { type: string }).type}`);
    }
  }
}

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  const nodes = new Map(state.nodes);
  applyTo(nodes, event);
  return { nodes };
}

/**
 * Many events at once, copying the map once rather than per event: a process folds the whole
 * stream (tens of thousands of nodes across the country) when it starts.
 */
export function foldOrganisation(state: OrganisationState, events: readonly OrganisationEvent[]): OrganisationState {
  if (events.length === 0) return state;
  const nodes = new Map(state.nodes);
  for (const event of events) applyTo(nodes, event);
  return { nodes };
}
