import type { Actor } from '../complaint/values';
import { DomainError, ensure } from '../complaint/errors';
import type { OrganisationNodeState, OrganisationState } from './state';

export type Staff = Extract<Actor, { role: 'admin_nasional' | 'admin_instansi' | 'liaison' }>;

/** The tree as one administrator may see and change it. */
export class TreeView {
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
