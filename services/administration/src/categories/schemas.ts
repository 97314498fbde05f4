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
const CATEGORY_CHANGE_EXAMPLE = { categoryId: 'jalan-rusak', version: '18' };

/** Per operation, the answer of a category change (one shape, named as the document first named each; CategoryChangeAccepted is AddCategoryAnswer). */
export const RenameCategoryAnswer = CategoryChangeAccepted.extend({});
export const DeactivateCategoryAnswer = CategoryChangeAccepted.extend({});

nameSchemas(
  {
    Category,
    ListCategoriesAnswer: CategoryView,
    AddCategoryBody,
    AddCategoryAnswer: CategoryChangeAccepted,
    RenameCategoryBody,
    RenameCategoryAnswer,
    DeactivateCategoryAnswer,
  },
  {
    ListCategoriesAnswer: {
      description: 'The taxonomy as the caller sees it (national, with their instansi’s additions) and its version, the ETag for a change',
      examples: [
        {
          version: '18',
          categories: [
            { id: 'infrastruktur', name: 'Infrastruktur', parentId: null, instansiId: null, active: true },
            { id: 'jalan-rusak', name: 'Jalan rusak', parentId: 'infrastruktur', instansiId: null, active: true },
            { id: 'jembatan-desa', name: 'Jembatan desa', parentId: 'infrastruktur', instansiId: 'pemprov-ntt', active: true },
          ],
        },
      ],
    },
    AddCategoryBody: {
      description: 'A kategori (no parentId) or a sub-kategori to add: national, or one instansi’s own addition',
      examples: [{ id: 'jembatan-desa', name: 'Jembatan desa', parentId: 'infrastruktur', instansiId: 'pemprov-ntt' }],
    },
    AddCategoryAnswer: {
      description: 'The category added, and the taxonomy’s version after it (the next If-Match)',
      examples: [{ categoryId: 'jembatan-desa', version: '19' }],
    },
    RenameCategoryBody: { description: 'The category’s new name', examples: [{ name: 'Jalan dan trotoar rusak' }] },
    RenameCategoryAnswer: { description: 'The category renamed, and the taxonomy’s version after it (the next If-Match)', examples: [CATEGORY_CHANGE_EXAMPLE] },
    DeactivateCategoryAnswer: {
      description: 'The category deactivated (no complaint is verified into it any more), and the taxonomy’s version after it',
      examples: [CATEGORY_CHANGE_EXAMPLE],
    },
    Category: {
      description: 'A kategori (parentId null) or a sub-kategori of the taxonomy: national (instansiId null) or an instansi’s own addition',
      examples: [{ id: 'jalan-rusak', name: 'Jalan rusak', parentId: 'infrastruktur', instansiId: null, active: true }],
    },
  },
);
