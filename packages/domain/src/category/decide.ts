import { DomainError, ensure } from '../complaint/errors';
import type { AddCategory, CategoryCommand, DeactivateCategory, RenameCategory } from './commands';
import type { CategoryAdded, CategoryDeactivated, CategoryEvent, CategoryRenamed } from './events';
import { currentName, evolveCategoryTaxonomy, initialCategoryTaxonomy, visibleTo, type CategoryState, type CategoryTaxonomy } from './state';

// The taxonomy's rules. Admin Nasional manages the national kategori and may also act for any
// instansi; an instansi admin adds, renames and deactivates only its own instansi's additions
// (it sees the national taxonomy but never changes it). Another instansi's additions are answered
// as if they did not exist. Two levels only: kategori and sub-kategori.

type Scope = { role: 'admin_nasional' } | { role: 'admin_instansi'; instansiId: string };

export function decideCategory(command: CategoryCommand, state: CategoryTaxonomy): CategoryEvent[] {
  const scope = scopeOf(command);
  const stamp = { at: command.metadata.now, by: command.metadata.actor };
  switch (command.type) {
    case 'AddCategory':
      return [add(command, state, scope, stamp)];
    case 'RenameCategory':
      return [rename(command, state, scope, stamp)];
    case 'DeactivateCategory':
      return [deactivate(command, state, scope, stamp)];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

type Stamp = Pick<CategoryAdded['data'], 'at' | 'by'>;

function scopeOf(command: CategoryCommand): Scope {
  const { actor, actorInstansiId } = command.metadata;
  if (actor.role === 'admin_nasional') return { role: 'admin_nasional' };
  ensure(actor.role === 'admin_instansi', 'ROLE_NOT_ALLOWED', 'Categories are managed by Admin Nasional and instansi admins.');
  ensure(actorInstansiId !== null, 'OUTSIDE_SCOPE', 'the instansi admin is not placed in an instansi');
  return { role: 'admin_instansi', instansiId: actorInstansiId };
}

/** A category the scope may know of (national, or its own instansi's); CATEGORY_NOT_FOUND otherwise. */
function known(state: CategoryTaxonomy, scope: Scope, categoryId: string, forInstansi: string | null): CategoryState {
  const found = state.categories.get(categoryId);
  const viewer = scope.role === 'admin_nasional' ? forInstansi : scope.instansiId;
  if (!found || !(visibleTo(found, viewer) || (scope.role === 'admin_nasional' && viewer === null))) {
    throw new DomainError('CATEGORY_NOT_FOUND', categoryId);
  }
  return found;
}

/** A category the scope may change: Admin Nasional any, an instansi admin its own instansi's additions. */
function changeable(state: CategoryTaxonomy, scope: Scope, categoryId: string): CategoryState {
  const found = known(state, scope, categoryId, null);
  if (scope.role === 'admin_instansi') ensure(found.instansiId === scope.instansiId, 'OUTSIDE_SCOPE', `${categoryId} is national`);
  return found;
}

/** No two active siblings an instansi would see side by side share a name (case and spacing aside). */
function ensureNameFree(state: CategoryTaxonomy, parentId: string | null, instansiId: string | null, name: string, except?: string): void {
  const wanted = name.trim().toLocaleLowerCase('id');
  for (const other of state.categories.values()) {
    if (other.id === except || !other.active || other.parentId !== parentId) continue;
    // a national name clashes with every instansi's addition; two instansi's additions never clash
    const sideBySide = other.instansiId === null || instansiId === null || other.instansiId === instansiId;
    if (sideBySide && currentName(other).trim().toLocaleLowerCase('id') === wanted) throw new DomainError('CATEGORY_NAME_TAKEN', name);
  }
}

function add(command: AddCategory, state: CategoryTaxonomy, scope: Scope, stamp: Stamp): CategoryAdded {
  const { categoryId, name, parentId, instansiId } = command.data;
  if (scope.role === 'admin_instansi') ensure(instansiId === scope.instansiId, 'OUTSIDE_SCOPE', 'an instansi admin adds to its own instansi');
  ensure(!state.categories.has(categoryId), 'CATEGORY_ID_TAKEN', categoryId);
  if (parentId !== null) {
    const parent = known(state, scope, parentId, instansiId);
    ensure(parent.parentId === null, 'CATEGORY_TOO_DEEP', parentId);
    ensure(parent.active, 'CATEGORY_INACTIVE', parentId);
    // a national sub-kategori sits under a national kategori only
    if (instansiId === null) ensure(parent.instansiId === null, 'CATEGORY_NOT_FOUND', parentId);
  }
  ensureNameFree(state, parentId, instansiId, name);
  return { type: 'CategoryAdded', schemaVersion: 1, data: { categoryId, name, parentId, instansiId, ...stamp } };
}

function rename(command: RenameCategory, state: CategoryTaxonomy, scope: Scope, stamp: Stamp): CategoryRenamed {
  const { categoryId, name } = command.data;
  const target = changeable(state, scope, categoryId);
  ensure(target.active, 'CATEGORY_INACTIVE', categoryId);
  const previousName = currentName(target);
  ensure(previousName !== name, 'NO_CHANGE');
  ensureNameFree(state, target.parentId, target.instansiId, name, categoryId);
  return { type: 'CategoryRenamed', schemaVersion: 1, data: { categoryId, name, previousName, ...stamp } };
}

function deactivate(command: DeactivateCategory, state: CategoryTaxonomy, scope: Scope, stamp: Stamp): CategoryDeactivated {
  const { categoryId } = command.data;
  const target = changeable(state, scope, categoryId);
  ensure(target.active, 'CATEGORY_INACTIVE', categoryId);
  const activeChild = [...state.categories.values()].find((other) => other.parentId === categoryId && other.active);
  ensure(activeChild === undefined, 'CATEGORY_HAS_ACTIVE_CHILDREN', activeChild?.id);
  return { type: 'CategoryDeactivated', schemaVersion: 1, data: { categoryId, ...stamp } };
}

/**
 * The taxonomy as a decider. One stream (CATEGORY_STREAM) for all of it, national and every
 * instansi's additions: names are checked across the two, the whole is a few hundred rows
 * changed a few times a year, and every process follows it by reading one stream.
 */
export const categoryDecider = { decide: decideCategory, evolve: evolveCategoryTaxonomy, initialState: initialCategoryTaxonomy } as const;
