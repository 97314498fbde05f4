import { DomainError, ensure } from '../complaint/errors';
import type { MergeUnits, SplitUnit } from './commands';
import type { Stamp } from './decide';
import { TreeView, type Staff } from './tree-view';
import type { NodeMoved, OrganisationEvent, UnitAdded } from './events';
import { isUnitKind } from './nodes';
import { foldOrganisation, type OrganisationNodeState, type OrganisationState } from './state';

// Merges and splits: several events for one decree, each decided on the tree as the ones before it
// left it (so a sub-unit moved under the successor is checked against the successor's other
// children), and appended together by the caller. The complaints the restructured units hold are not
// in this stream: the succession reactor hands them to the successor once these events are stored.

/** Events decided in order, each on the tree the earlier ones made. */
class Steps {
  readonly events: OrganisationEvent[] = [];
  constructor(
    private state: OrganisationState,
    private readonly actor: Staff,
  ) {}

  get view(): TreeView {
    return new TreeView(this.state, this.actor);
  }

  add(event: OrganisationEvent): void {
    this.events.push(event);
    this.state = foldOrganisation(this.state, [event]);
  }
}

/** A unit the actor may restructure: below its own node, active, a unit or sub-unit. */
function restructurable(view: TreeView, nodeId: string): OrganisationNodeState {
  const target = view.withinScope(nodeId, { self: false });
  if (!isUnitKind(target.node.kind)) throw new DomainError('INVALID_RESTRUCTURING', `${nodeId} is a ${target.node.kind}, not a unit`);
  ensure(target.active, 'NODE_INACTIVE', nodeId);
  return target;
}

export function merge(command: MergeUnits, state: OrganisationState, actor: Staff, stamp: Stamp): OrganisationEvent[] {
  const { nodeIds, successorId, successorName } = command.data;
  const steps = new Steps(state, actor);
  ensure(new Set(nodeIds).size === nodeIds.length, 'INVALID_RESTRUCTURING', 'a unit is named twice');
  ensure(!nodeIds.includes(successorId), 'INVALID_RESTRUCTURING', 'the successor is one of the merged units');
  const merged = nodeIds.map((nodeId) => restructurable(steps.view, nodeId));
  const instansi = steps.view.instansiOf(nodeIds[0]!);
  ensure(
    nodeIds.every((nodeId) => steps.view.instansiOf(nodeId) === instansi),
    'INVALID_RESTRUCTURING',
    'the merged units belong to different instansi',
  );

  if (successorName !== null) {
    ensure(nodeIds.length >= 2, 'INVALID_RESTRUCTURING', 'a new successor joins at least two units');
    const parentId = merged[0]!.node.parentId!;
    ensure(
      merged.every((entry) => entry.node.parentId === parentId),
      'INVALID_RESTRUCTURING',
      'a new successor needs the merged units under one parent',
    );
    steps.view.ensureFree(successorId);
    steps.add(unitAdded(successorId, successorName, parentId, steps.view, stamp));
  } else {
    const successor = restructurable(steps.view, successorId);
    ensure(steps.view.instansiOf(successorId) === instansi, 'INVALID_RESTRUCTURING', 'the successor is in another instansi');
    ensure(!nodeIds.some((nodeId) => steps.view.isBelow(successorId, nodeId)), 'INVALID_RESTRUCTURING', 'the successor sits below a merged unit');
    void successor;
  }
  for (const nodeId of nodeIds) moveChildren(steps, nodeId, successorId, stamp);
  steps.add({ type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds, successorId, ...stamp } });
  return steps.events;
}

export function split(command: SplitUnit, state: OrganisationState, actor: Staff, stamp: Stamp): OrganisationEvent[] {
  const { nodeId, into, heirId } = command.data;
  const steps = new Steps(state, actor);
  const target = restructurable(steps.view, nodeId);
  const ids = into.map((part) => part.nodeId);
  ensure(new Set(ids).size === ids.length, 'INVALID_RESTRUCTURING', 'a new unit is named twice');
  ensure(ids.includes(heirId), 'INVALID_RESTRUCTURING', 'the heir is one of the new units');
  const parentId = target.node.parentId!;
  for (const part of into) {
    steps.view.ensureFree(part.nodeId);
    steps.add(unitAdded(part.nodeId, part.name, parentId, steps.view, stamp, nodeId));
  }
  moveChildren(steps, nodeId, heirId, stamp);
  steps.add({ type: 'UnitSplit', schemaVersion: 1, data: { nodeId, successorIds: ids, heirId, ...stamp } });
  return steps.events;
}

/** A new unit beside the restructured ones (`except`: the one it replaces may keep its name until it goes). */
function unitAdded(nodeId: string, name: string, parentId: string, view: TreeView, stamp: Stamp, except?: string): UnitAdded {
  const parent = view.visible(parentId);
  const kind = parent.node.kind === 'instansi' ? 'unit' : 'subunit';
  view.ensureNameFree(parentId, name, except);
  return { type: 'UnitAdded', schemaVersion: 1, data: { nodeId, kind, name, parentId, ...stamp } };
}

/** The restructured unit's active sub-units go with its work, under the successor. */
function moveChildren(steps: Steps, fromId: string, toId: string, stamp: Stamp): void {
  for (const child of steps.view.activeChildren(fromId)) {
    steps.view.ensureNameFree(toId, child.node.name, child.node.id);
    const moved: NodeMoved = {
      type: 'NodeMoved',
      schemaVersion: 1,
      data: { nodeId: child.node.id, parentId: toId, previousParentId: fromId, kind: 'subunit', ...stamp },
    };
    steps.add(moved);
  }
}
