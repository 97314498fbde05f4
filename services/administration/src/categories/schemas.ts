import { CategoryId, CategoryName, NodeId } from '@lapor/domain';
import { nameSchemas } from '@lapor/http-kit';
import { z } from 'zod';

// The category routes' input and answers, as named constants (one per component of the document).
// Input is validated here (400 naming the field); the taxonomy's rules are the decider's.

export const CATEGORY_TAG = {
  name: 'categories',
  description: 'The category taxonomy (kategori / sub-kategori): national, with each instansi’s own additions',
};

export const CategoryParams = z.strictObject({ categoryId: CategoryId });

export const AddCategoryBody = z.strictObject({
  id: CategoryId,
  name: CategoryName,
  /** The kategori this sub-kategori sits under; absent: a kategori. */
  parentId: CategoryId.optional(),
  /** The instansi this addition belongs to; absent: the national taxonomy (Admin Nasional). An instansi admin names its own. */
  instansiId: NodeId.optional(),
});

export const RenameCategoryBody = z.strictObject({ name: CategoryName });

export const CategoryChangeAccepted = z.object({
  categoryId: CategoryId,
  /** The taxonomy's version after the change: the next If-Match. */
  version: z.string(),
});
export type CategoryChangeAccepted = z.infer<typeof CategoryChangeAccepted>;

export const CategoryListQuery = z.strictObject({
  /** Admin Nasional: the taxonomy as this instansi sees it; absent: all of it. Others always see their own instansi’s. */
  instansiId: NodeId.optional(),
});

/** One kategori or sub-kategori, as the list and GET /categories/{categoryId} show it. */
export const Category = z.object({
  id: CategoryId,
  name: z.string(),
  parentId: CategoryId.nullable(),
  /** null: national; otherwise the instansi that added it. */
  instansiId: NodeId.nullable(),
  /** False once deactivated: no complaint is verified into it any more. */
  active: z.boolean(),
});

export const CategoryView = z.object({
  /** The taxonomy's version (also the ETag): send it as If-Match with a change. */
  version: z.string(),
  categories: z.array(Category),
});
export type CategoryView = z.infer<typeof CategoryView>;
export type Category = z.infer<typeof Category>;

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { Category },
  {
    Category: {
      description: 'A kategori (parentId null) or a sub-kategori of the taxonomy: national (instansiId null) or an instansi’s own addition',
      examples: [{ id: 'jalan-rusak', name: 'Jalan rusak', parentId: 'infrastruktur', instansiId: null, active: true }],
    },
  },
);
