import { assignableCategory, type CategoryTaxonomy } from '@lapor/domain';
import { HttpProblem, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import { CategoryCatalog, type FollowedStream } from '@lapor/workflow';

/**
 * Checks the category a verification assigns against the taxonomy the verifier's instansi sees
 * (national kategori and its own additions); 422 naming the field for an unknown or inactive one.
 * Transitional: while no taxonomy has been recorded in this store at all, the category is the free
 * text it always was, so stores (and tests) set up before the taxonomy keep working.
 */
export function categoryCheck(context: WorkflowContext): {
  /** Caught up in the same read as the complaint (loadReadable's alongside): the check then reads nothing. */
  readonly catalog: FollowedStream;
  readonly check: (actor: StaffActor, field: string, categoryId: string) => Promise<void>;
} {
  const catalog = new CategoryCatalog(context.store);
  return { catalog, check: (actor, field, categoryId) => checkAgainst(context, catalog.folded.taxonomy, actor, field, categoryId) };
}

async function checkAgainst(context: WorkflowContext, taxonomy: CategoryTaxonomy, actor: StaffActor, field: string, categoryId: string): Promise<void> {
  if (taxonomy.categories.size === 0) return;
  const tree = await context.directory.knowing([actor.nodeId]);
  const instansiId = tree.has(actor.nodeId) ? (tree.instansiOf(actor.nodeId)?.id ?? null) : null;
  const found = assignableCategory(taxonomy, instansiId, categoryId);
  if (found.ok) return;
  const message = found.reason === 'unknown' ? `no category ${categoryId} for this instansi` : `category ${categoryId} is inactive`;
  throw new HttpProblem(422, 'invalid-category', 'Invalid category', message, { errors: [{ field, message }] });
}
