import { categoryNameAt, type CategoryTaxonomy } from '@lapor/domain';

// What a complaint's recorded category reads as in a recap. Verification records a category id
// since the taxonomy exists; before it, the verifier's free text. A recap of a period shows the
// name the category had then (a rename in 2025 does not rewrite the 2024 topic table), and a
// recorded value the taxonomy does not know is legacy free text, shown as it was typed.

export interface NamedCategory {
  /** The taxonomy's id, or null for legacy free text. */
  readonly categoryId: string | null;
  readonly name: string;
}

export type CategoryNaming = (recorded: string) => NamedCategory;

/** Every recorded value is free text: a store with no taxonomy, or a caller that reads none. */
export const freeTextCategories: CategoryNaming = (recorded) => ({ categoryId: null, name: recorded });

/**
 * Ids read with the name they had at `moment` (a period's last instant); anything else is free text.
 * A legacy text that happens to spell a category's id reads as that category: the two cannot be told apart.
 */
export function categoryNamesAt(taxonomy: CategoryTaxonomy, moment: Date): CategoryNaming {
  const at = moment.toISOString();
  return (recorded) => {
    const category = taxonomy.categories.get(recorded);
    return category ? { categoryId: category.id, name: categoryNameAt(category, at) } : freeTextCategories(recorded);
  };
}
