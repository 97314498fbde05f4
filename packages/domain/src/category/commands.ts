import { z } from 'zod';
import { Actor, IsoDateTime } from '../complaint/values';
import { NodeId } from '../organisation/nodes';

// What an administrator asks of the category taxonomy (kategori / sub-kategori). The edge
// authenticates the actor, reads the clock and looks up which instansi the actor administers
// (`actorInstansiId`: the tree's fact, carried on the command as complaint commands carry theirs;
// an instansi admin may sit on a unit after the role moved, as TTU's did to Diskominfo).

/** A category's id: lower-case words joined by hyphens (`infrastruktur-jalan`). */
export const CategoryId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');
export type CategoryId = z.infer<typeof CategoryId>;

export const CategoryName = z.string().trim().min(1).max(200);

const CategoryCommandMetadata = z.object({ now: IsoDateTime, actor: Actor, actorInstansiId: NodeId.nullable() });

const command = <const Type extends string, Data extends z.ZodRawShape>(type: Type, data: Data) =>
  z.object({ type: z.literal(type), data: z.object(data), metadata: CategoryCommandMetadata });

/**
 * `parentId` null: a kategori; otherwise a sub-kategori of that kategori. `instansiId` null: the
 * national taxonomy (Admin Nasional only); otherwise an addition of that instansi (its admin, or
 * Admin Nasional), seen only by it, placed at the top or under a national or its own kategori.
 */
export const AddCategory = command('AddCategory', {
  categoryId: CategoryId,
  name: CategoryName,
  parentId: CategoryId.nullable(),
  instansiId: NodeId.nullable(),
});
export type AddCategory = z.infer<typeof AddCategory>;

export const RenameCategory = command('RenameCategory', { categoryId: CategoryId, name: CategoryName });
export type RenameCategory = z.infer<typeof RenameCategory>;

/** No new complaint is verified into it; complaints and recaps that name it keep it. */
export const DeactivateCategory = command('DeactivateCategory', { categoryId: CategoryId });
export type DeactivateCategory = z.infer<typeof DeactivateCategory>;

export const CategoryCommand = z.discriminatedUnion('type', [AddCategory, RenameCategory, DeactivateCategory]);
export type CategoryCommand = z.infer<typeof CategoryCommand>;
