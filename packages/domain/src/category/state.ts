import type { CategoryEvent } from './events';

// The taxonomy as decide and verification need it. A deactivated category stays (complaints
// name it); every name it had is kept with the moment it took effect, so a recap of a past
// period reads the name as it was (as the as-of recap reads node names).

export interface CategoryState {
  readonly id: string;
  readonly parentId: string | null;
  /** null: national; otherwise the instansi that added it. */
  readonly instansiId: string | null;
  readonly active: boolean;
  /** Oldest first; the last is the current name. */
  readonly names: readonly { readonly name: string; readonly from: string }[];
}

export interface CategoryTaxonomy {
  readonly categories: ReadonlyMap<string, CategoryState>;
}

export const initialCategoryTaxonomy = (): CategoryTaxonomy => ({ categories: new Map() });

export function evolveCategoryTaxonomy(state: CategoryTaxonomy, event: CategoryEvent): CategoryTaxonomy {
  const categories = new Map(state.categories);
  const existing = (id: string): CategoryState => {
    const found = categories.get(id);
    if (!found) throw new Error(`${event.type} names a category never added: ${id}`);
    return found;
  };
  switch (event.type) {
    case 'CategoryAdded': {
      const { categoryId, name, parentId, instansiId, at } = event.data;
      categories.set(categoryId, { id: categoryId, parentId, instansiId, active: true, names: [{ name, from: at }] });
      break;
    }
    case 'CategoryRenamed': {
      const found = existing(event.data.categoryId);
      categories.set(found.id, { ...found, names: [...found.names, { name: event.data.name, from: event.data.at }] });
      break;
    }
    case 'CategoryDeactivated':
      categories.set(event.data.categoryId, { ...existing(event.data.categoryId), active: false });
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return { categories };
}

export const currentName = (category: CategoryState): string => category.names[category.names.length - 1]!.name;

/** The name the category had at `at` (ISO instant); its first name for a moment before it existed. */
export function categoryNameAt(category: CategoryState, at: string): string {
  const moment = Date.parse(at);
  let name = category.names[0]!.name;
  for (const entry of category.names) if (Date.parse(entry.from) <= moment) name = entry.name;
  return name;
}

/** Whether an instansi sees the category: national ones everyone, an addition only its instansi. */
export const visibleTo = (category: CategoryState, instansiId: string | null): boolean => category.instansiId === null || category.instansiId === instansiId;

/**
 * The category a complaint of `instansiId` may be verified into, or why not: unknown (or another
 * instansi's) and inactive (itself or its kategori) are the two answers the edge turns into a 422.
 */
export function assignableCategory(
  taxonomy: CategoryTaxonomy,
  instansiId: string | null,
  categoryId: string,
): { ok: true; category: CategoryState } | { ok: false; reason: 'unknown' | 'inactive' } {
  const category = taxonomy.categories.get(categoryId);
  if (!category || !visibleTo(category, instansiId)) return { ok: false, reason: 'unknown' };
  const parent = category.parentId === null ? null : taxonomy.categories.get(category.parentId);
  if (!category.active || (parent && !parent.active)) return { ok: false, reason: 'inactive' };
  return { ok: true, category };
}
