import { z } from 'zod';
import { Actor, IsoDateTime } from '../complaint/values';
import { NodeId } from '../organisation/nodes';
import { CategoryId, CategoryName } from './commands';

// The taxonomy stream's events. Each says when it was recorded and by whom; a rename keeps the
// previous name so a recap of an earlier period can still show the name the category had then.

const event = <const Type extends string, Data extends z.ZodRawShape>(type: Type, data: Data) =>
  z.object({ type: z.literal(type), schemaVersion: z.literal(1), data: z.object({ ...data, at: IsoDateTime, by: Actor }) });

export const CategoryAdded = event('CategoryAdded', {
  categoryId: CategoryId,
  name: CategoryName,
  parentId: CategoryId.nullable(),
  instansiId: NodeId.nullable(),
});
export type CategoryAdded = z.infer<typeof CategoryAdded>;

export const CategoryRenamed = event('CategoryRenamed', { categoryId: CategoryId, name: CategoryName, previousName: CategoryName });
export type CategoryRenamed = z.infer<typeof CategoryRenamed>;

export const CategoryDeactivated = event('CategoryDeactivated', { categoryId: CategoryId });
export type CategoryDeactivated = z.infer<typeof CategoryDeactivated>;

export const CategoryEvent = z.discriminatedUnion('type', [CategoryAdded, CategoryRenamed, CategoryDeactivated]);
export type CategoryEvent = z.infer<typeof CategoryEvent>;

/** One stream holds the whole taxonomy: a few hundred rows, changed a few times a year, read whole. */
export const CATEGORY_STREAM = 'category-taxonomy';

export function parseCategoryEvent(stored: { type: string; schemaVersion?: number; data: unknown }): CategoryEvent {
  return CategoryEvent.parse({ type: stored.type, schemaVersion: stored.schemaVersion ?? 1, data: stored.data });
}
