import type { Actor } from '../complaint/values';
import { DomainError, ensure } from '../complaint/errors';
import type { AddUnit, DeactivateNode, MoveNode, OrganisationCommand, RegisterInstansi, RenameNode } from './commands';
import type { InstansiRegistered, NodeDeactivated, NodeMoved, NodeRenamed, OrganisationEvent, UnitAdded } from './events';
import { canBeChildOf } from './nodes';
import type { OrganisationNodeState, OrganisationState } from './state';

// The organisation's rules. Who may: Admin Nasional anywhere; an instansi admin below its own node
// (it adds units under its instansi, and renames, moves or deactivates what is below it, never the
// instansi itself, which Admin Nasional registered). An instansi admin may know every instansi (they
// are public: citizens address complaints to them) but not another instansi's units: naming one is
// answered as if it did not exist.
//
// Deactivating a unit that still holds open complaints is allowed, deliberately. Which complaints a
// node holds is in the complaint streams and their read models, not in this stream, so this pure
// decider cannot check it, and a check at the edge would race with a disposition appended meanwhile.
// Moving them by the command would write many complaint streams in one command, which is not one
// append. What deactivation does instead: no new disposition goes to the node (the disposition edge
// refuses an inactive target), while what it holds stays with it to be finished, or returned up the
// tree (Bukan Wewenang) to be disposed elsewhere. A merge that hands open complaints and their timers
// to a successor is left for a later slice.

type Staff = Extract<Actor, { role: 'admin_nasional' | 'admin_instansi' | 'liaison' }>;

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
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

type Stamp = Pick<UnitAdded['data'], 'effectiveAt' | 'at' | 'by'>;

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
  return { type: 'NodeDeactivated', schemaVersion: 1, data: { nodeId, ...stamp } };
}

function administrator(actor: Actor): Staff {
  if (actor.role !== 'admin_nasional' && actor.role !== 'admin_instansi')
    throw new DomainError('ROLE_NOT_ALLOWED', 'Only administrators change the organisation.');
  return actor as Staff;
}

/** The tree as one administrator may see and change it. */
class TreeView {
  constructor(
    private readonly state: OrganisationState,
    readonly actor: Staff,
  ) {}

  /** A node the actor may know of; NODE_NOT_FOUND for one it may not (another instansi's unit). */
  visible(nodeId: string): OrganisationNodeState {
    const found = this.state.nodes.get(nodeId);
    const knowable =
      found && (this.actor.role === 'admin_nasional' || found.node.kind === 'nasional' || found.node.kind === 'instansi' || this.inScope(nodeId));
    if (!found || !knowable) throw new DomainError('NODE_NOT_FOUND', nodeId);
    return found;
  }

  /**
   * A node the actor may change (`self: false`: strictly below its own node) or add under
   * (`self: true`: its own node too). Admin Nasional: any but the national root itself.
   */
  withinScope(nodeId: string, options: { self: boolean }): OrganisationNodeState {
    const found = this.visible(nodeId);
    if (this.actor.role === 'admin_nasional') {
      if (!options.self) ensure(found.node.kind !== 'nasional', 'ROOT_IS_FIXED');
      return found;
    }
    ensure(this.inScope(nodeId) && (options.self || nodeId !== this.actor.nodeId), 'OUTSIDE_SCOPE', nodeId);
    return found;
  }

  ensureFree(nodeId: string): void {
    ensure(!this.state.nodes.has(nodeId), 'NODE_ID_TAKEN', nodeId);
  }

  /** Names compare as an administrator reads them: case and surrounding spaces aside. */
  ensureNameFree(parentId: string, name: string, except?: string): void {
    const wanted = normalise(name);
    const clash = [...this.state.nodes.values()].find(
      (other) => other.active && other.node.parentId === parentId && other.node.id !== except && normalise(other.node.name) === wanted,
    );
    ensure(clash === undefined, 'NAME_TAKEN', clash ? `${clash.node.id} is already called ${clash.node.name}` : undefined);
  }

  activeChildren(nodeId: string): OrganisationNodeState[] {
    return [...this.state.nodes.values()].filter((other) => other.active && other.node.parentId === nodeId);
  }

  /** True when nodeId is strictly below ancestorId. */
  isBelow(nodeId: string, ancestorId: string): boolean {
    for (let parentId = this.state.nodes.get(nodeId)?.node.parentId ?? null; parentId !== null;) {
      if (parentId === ancestorId) return true;
      parentId = this.state.nodes.get(parentId)?.node.parentId ?? null;
    }
    return false;
  }

  instansiOf(nodeId: string): string | null {
    for (let current = this.state.nodes.get(nodeId); current; current = current.node.parentId ? this.state.nodes.get(current.node.parentId) : undefined) {
      if (current.node.kind === 'instansi') return current.node.id;
    }
    return null;
  }

  private inScope(nodeId: string): boolean {
    return nodeId === this.actor.nodeId || this.isBelow(nodeId, this.actor.nodeId);
  }
}

const normalise = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('id');
