import { z } from 'zod';
import { Actor, IsoDateTime } from '../complaint/values';
import { InstansiKind, NodeName } from './commands';
import { IndonesianTimeZone, NodeId, OrganisationNode } from './nodes';

// The organisation stream's events. Every administrative one says when it took effect
// (`effectiveAt`), when it was recorded (`at`) and who did it (`by`), so a recap can later ask what
// the tree was on a given day. `OrganisationNodeRegistered` is the first-start seed's event (its data
// is the node itself, with no actor): stored ones are never rewritten, so evolve reads it as it is.

const event = <const Type extends string, Data extends z.ZodRawShape>(type: Type, data: Data) =>
  z.object({
    type: z.literal(type),
    schemaVersion: z.literal(1),
    data: z.object({ ...data, effectiveAt: IsoDateTime, at: IsoDateTime, by: Actor }),
  });

/** Written by the first start of an empty store (gateway/src/seed), before there was an administration. */
export const OrganisationNodeRegistered = z.object({ type: z.literal('OrganisationNodeRegistered'), schemaVersion: z.literal(1), data: OrganisationNode });
export type OrganisationNodeRegistered = z.infer<typeof OrganisationNodeRegistered>;

export const InstansiRegistered = event('InstansiRegistered', {
  nodeId: NodeId,
  name: NodeName,
  instansiKind: InstansiKind,
  timeZone: IndonesianTimeZone,
  parentId: NodeId,
});
export type InstansiRegistered = z.infer<typeof InstansiRegistered>;

export const UnitAdded = event('UnitAdded', { nodeId: NodeId, kind: z.enum(['unit', 'subunit']), name: NodeName, parentId: NodeId });
export type UnitAdded = z.infer<typeof UnitAdded>;

export const NodeRenamed = event('NodeRenamed', { nodeId: NodeId, name: NodeName, previousName: NodeName });
export type NodeRenamed = z.infer<typeof NodeRenamed>;

/** `kind` is what the node is under its new parent: a sub-unit moved straight under the instansi becomes a unit. */
export const NodeMoved = event('NodeMoved', { nodeId: NodeId, parentId: NodeId, previousParentId: NodeId, kind: z.enum(['unit', 'subunit']) });
export type NodeMoved = z.infer<typeof NodeMoved>;

export const NodeDeactivated = event('NodeDeactivated', { nodeId: NodeId });
export type NodeDeactivated = z.infer<typeof NodeDeactivated>;

/** The merged nodes are inactive from now on; `successorId` answers for their work and, in the current-structure recap, their history. */
export const UnitsMerged = event('UnitsMerged', { nodeIds: z.array(NodeId).min(1), successorId: NodeId });
export type UnitsMerged = z.infer<typeof UnitsMerged>;

/** The split node is inactive from now on; its successors were added just before, and `heirId` inherits its work. */
export const UnitSplit = event('UnitSplit', { nodeId: NodeId, successorIds: z.array(NodeId).min(2), heirId: NodeId });
export type UnitSplit = z.infer<typeof UnitSplit>;

export const OrganisationEvent = z.discriminatedUnion('type', [
  OrganisationNodeRegistered,
  InstansiRegistered,
  UnitAdded,
  NodeRenamed,
  NodeMoved,
  NodeDeactivated,
  UnitsMerged,
  UnitSplit,
]);
export type OrganisationEvent = z.infer<typeof OrganisationEvent>;
export type OrganisationEventType = OrganisationEvent['type'];

/** A stored organisation event (type, data, the schema version its metadata names) as the domain reads it. */
export function parseOrganisationEvent(stored: { type: string; schemaVersion?: number; data: unknown }): OrganisationEvent {
  // version 1 is the only one yet: a later shape gets an upcaster here, as complaint events do
  return OrganisationEvent.parse({ type: stored.type, schemaVersion: stored.schemaVersion ?? 1, data: stored.data });
}
