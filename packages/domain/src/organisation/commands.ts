import { z } from 'zod';
import { Actor, IsoDateTime } from '../complaint/values';
import { IndonesianTimeZone, NodeId } from './nodes';

// What an administrator asks of the organisation tree. As for complaints, the edge authenticates
// the actor, generates ids and reads the clock: `metadata.now`, `metadata.actor`. A restructuring
// may be recorded after it took effect (a decree is often typed in days later): `effectiveAt`
// says when, null meaning "now".

/** The kinds of body that run a complaint desk, as the national registry lists them. */
export const InstansiKind = z.enum(['kementerian', 'lembaga', 'pemprov', 'pemkab', 'pemkot', 'bumn', 'bumd', 'lainnya']);
export type InstansiKind = z.infer<typeof InstansiKind>;

/** A new node's id: lower-case words joined by hyphens (a slug such as `pemkab-sikka`, or a UUID). */
export const NodeSlug = NodeId.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const NodeName = z.string().min(1).max(300);

const OrganisationCommandMetadata = z.object({ now: IsoDateTime, actor: Actor });

const command = <const Type extends string, Data extends z.ZodRawShape>(type: Type, data: Data) =>
  z.object({
    type: z.literal(type),
    data: z.object({ ...data, effectiveAt: IsoDateTime.nullable() }),
    metadata: OrganisationCommandMetadata,
  });

/** Admin Nasional only. */
export const RegisterInstansi = command('RegisterInstansi', {
  nodeId: NodeSlug,
  name: NodeName,
  instansiKind: InstansiKind,
  timeZone: IndonesianTimeZone,
  parentId: NodeId,
});
export type RegisterInstansi = z.infer<typeof RegisterInstansi>;

/** A unit under an instansi, or a sub-unit under a unit or sub-unit: the parent decides which. */
export const AddUnit = command('AddUnit', { nodeId: NodeSlug, name: NodeName, parentId: NodeId });
export type AddUnit = z.infer<typeof AddUnit>;

export const RenameNode = command('RenameNode', { nodeId: NodeId, name: NodeName });
export type RenameNode = z.infer<typeof RenameNode>;

/** Under another parent of the same instansi. */
export const MoveNode = command('MoveNode', { nodeId: NodeId, parentId: NodeId });
export type MoveNode = z.infer<typeof MoveNode>;

/**
 * `openComplaints`: how many open complaints the node holds, as the edge found them in its read
 * model. A node that holds any is merged into a successor instead, which inherits them.
 */
export const DeactivateNode = command('DeactivateNode', { nodeId: NodeId, openComplaints: z.number().int().min(0) });
export type DeactivateNode = z.infer<typeof DeactivateNode>;

/**
 * Two or more units (or sub-units) of one instansi become one. The successor is an existing active
 * unit (`successorName` null: it absorbs the others) or a new one (`successorName` given) placed
 * under the merged units' common parent. The merged units' active sub-units move under the
 * successor; their open complaints and timers are handed over to it (ComplaintHandedOver).
 */
export const MergeUnits = command('MergeUnits', {
  nodeIds: z.array(NodeId).min(1).max(50),
  successorId: NodeSlug,
  successorName: NodeName.nullable(),
});
export type MergeUnits = z.infer<typeof MergeUnits>;

/**
 * One unit becomes several new ones beside it. `heirId`, one of them, inherits what cannot be
 * divided by a rule: the open complaints (its liaison returns any that belong to a sibling, and the
 * instansi disposes it there), the sub-units, and the unit's history in the current-structure recap.
 */
export const SplitUnit = command('SplitUnit', {
  nodeId: NodeId,
  into: z
    .array(z.object({ nodeId: NodeSlug, name: NodeName }))
    .min(2)
    .max(50),
  heirId: NodeSlug,
});
export type SplitUnit = z.infer<typeof SplitUnit>;

export type OrganisationCommand = RegisterInstansi | AddUnit | RenameNode | MoveNode | DeactivateNode | MergeUnits | SplitUnit;
