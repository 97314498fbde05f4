import type { Actor } from '../complaint/values';
import { DomainError, ensure } from '../complaint/errors';
import type { AddUnit, DeactivateNode, MoveNode, OrganisationCommand, RegisterInstansi, RenameNode } from './commands';
import type { InstansiRegistered, NodeDeactivated, NodeMoved, NodeRenamed, OrganisationEvent, UnitAdded } from './events';
import { canBeChildOf } from './nodes';
import { merge, split } from './decide-restructuring';
import type { OrganisationState } from './state';
import { TreeView, type Staff } from './tree-view';

// The organisation's rules. Who may: Admin Nasional anywhere; an instansi admin below its own node
// (it adds units under its instansi, and renames, moves or deactivates what is below it, never the
// instansi itself, which Admin Nasional registered). An instansi admin may know every instansi (they
// are public: citizens address complaints to them) but not another instansi's units: naming one is
// answered as if it did not exist.
//
// Deactivating a unit that still holds open complaints is refused: which complaints a node holds is
// in the complaint streams' read models, so the edge counts them and the command carries the count
// (as complaint commands carry the tree's facts). The way to retire a unit with work is a merge into
// a successor, which inherits its open complaints and their timers (decide-restructuring.ts). What
// the count cannot see (a disposition decided on an older tree, appended meanwhile) is refused by
// the disposition edge, which checks the tree as stored; and a merged node's stragglers are handed
// over by administration's succession reactor, which follows the tree, not the request.

export function decideOrganisation(command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] {
  const actor = administrator(command.metadata.actor);
  const effectiveAt = command.data.effectiveAt ?? command.metadata.now;
  ensure(Date.parse(effectiveAt) <= Date.parse(command.metadata.now), 'EFFECTIVE_IN_FUTURE', `effectiveAt ${effectiveAt} is after now`);
  const stamp = { effectiveAt, at: command.metadata.now, by: command.metadata.actor };
  const view = new TreeView(state, actor);
  switch (command.type) {
    case 'RegisterInstansi':
      return [registerInstansi(command, view, stamp)];
    case 'AddUnit':
      return [addUnit(command, view, stamp)];
    case 'RenameNode':
      return [rename(command, view, stamp)];
    case 'MoveNode':
      return [move(command, view, stamp)];
    case 'DeactivateNode':
      return [deactivate(command, view, stamp)];
    case 'MergeUnits':
      return merge(command, state, actor, stamp);
    case 'SplitUnit':
      return split(command, state, actor, stamp);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export type Stamp = Pick<UnitAdded['data'], 'effectiveAt' | 'at' | 'by'>;

function registerInstansi(command: RegisterInstansi, view: TreeView, stamp: Stamp): InstansiRegistered {
  ensure(view.actor.role === 'admin_nasional', 'ROLE_NOT_ALLOWED', 'Only Admin Nasional registers an instansi.');
  const { nodeId, name, instansiKind, timeZone, parentId } = command.data;
  view.ensureFree(nodeId);
  const parent = view.visible(parentId);
  ensure(canBeChildOf('instansi', parent.node.kind), 'WRONG_PARENT_KIND', `an instansi cannot sit under a ${parent.node.kind}`);
  ensure(parent.active, 'NODE_INACTIVE', parentId);
  view.ensureNameFree(parentId, name);
  return { type: 'InstansiRegistered', schemaVersion: 1, data: { nodeId, name, instansiKind, timeZone, parentId, ...stamp } };
}

function addUnit(command: AddUnit, view: TreeView, stamp: Stamp): UnitAdded {
  const { nodeId, name, parentId } = command.data;
  const parent = view.withinScope(parentId, { self: true });
  const kind = parent.node.kind === 'instansi' ? 'unit' : 'subunit';
  ensure(canBeChildOf(kind, parent.node.kind), 'WRONG_PARENT_KIND', `a unit cannot sit under ${parent.node.kind}`);
  ensure(parent.active, 'NODE_INACTIVE', parentId);
  view.ensureFree(nodeId);
  view.ensureNameFree(parentId, name);
  return { type: 'UnitAdded', schemaVersion: 1, data: { nodeId, kind, name, parentId, ...stamp } };
}

function rename(command: RenameNode, view: TreeView, stamp: Stamp): NodeRenamed {
  const { nodeId, name } = command.data;
  const target = view.withinScope(nodeId, { self: false });
  ensure(target.active, 'NODE_INACTIVE', nodeId);
  ensure(target.node.name !== name, 'NO_CHANGE');
  if (target.node.parentId !== null) view.ensureNameFree(target.node.parentId, name, nodeId);
  return { type: 'NodeRenamed', schemaVersion: 1, data: { nodeId, name, previousName: target.node.name, ...stamp } };
}

function move(command: MoveNode, view: TreeView, stamp: Stamp): NodeMoved {
  const { nodeId, parentId } = command.data;
  const target = view.withinScope(nodeId, { self: false });
  const { node } = target;
  if (node.kind !== 'unit' && node.kind !== 'subunit') throw new DomainError('INVALID_MOVE', `a ${node.kind} does not move`);
  ensure(target.active, 'NODE_INACTIVE', nodeId);
  const parent = view.withinScope(parentId, { self: true });
  ensure(parent.active, 'NODE_INACTIVE', parentId);
  ensure(node.parentId !== parentId, 'NO_CHANGE');
  ensure(view.instansiOf(parentId) === view.instansiOf(nodeId), 'INVALID_MOVE', 'the new parent is in another instansi');
  ensure(parentId !== nodeId && !view.isBelow(parentId, nodeId), 'INVALID_MOVE', 'the new parent is the node itself or below it');
  view.ensureNameFree(parentId, node.name, nodeId);
  const kind = parent.node.kind === 'instansi' ? 'unit' : 'subunit';
  return { type: 'NodeMoved', schemaVersion: 1, data: { nodeId, parentId, previousParentId: node.parentId, kind, ...stamp } };
}

function deactivate(command: DeactivateNode, view: TreeView, stamp: Stamp): NodeDeactivated {
  const { nodeId } = command.data;
  const target = view.withinScope(nodeId, { self: false });
  ensure(target.active, 'NODE_INACTIVE', `${nodeId} is already inactive`);
  const active = view.activeChildren(nodeId);
  ensure(active.length === 0, 'HAS_ACTIVE_CHILDREN', active.map((child) => child.node.id).join(', '));
  ensure(command.data.openComplaints === 0, 'HOLDS_OPEN_COMPLAINTS', `${nodeId} holds ${command.data.openComplaints}`);
  return { type: 'NodeDeactivated', schemaVersion: 1, data: { nodeId, ...stamp } };
}

function administrator(actor: Actor): Staff {
  if (actor.role !== 'admin_nasional' && actor.role !== 'admin_instansi')
    throw new DomainError('ROLE_NOT_ALLOWED', 'Only administrators change the organisation.');
  return actor as Staff;
}
