import { currentName, visibleTo, type CategoryCommand } from '@lapor/domain';
import { commandIdOf, ifMatchVersion, notFound, requireStaff, setVersion, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import { CategoryCatalog } from '@lapor/workflow';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../schemas';
import {
  AddCategoryBody,
  Category,
  CATEGORY_TAG,
  CategoryChangeAccepted,
  CategoryListQuery,
  CategoryParams,
  CategoryView,
  DeactivateCategoryAnswer,
  RenameCategoryAnswer,
  RenameCategoryBody,
} from './schemas';

type WithoutMetadata = CategoryCommand extends infer C ? (C extends CategoryCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * The category taxonomy as its administrators run it: Admin Nasional the national kategori and
 * sub-kategori, an instansi admin its own instansi's additions. Each change is one event on the
 * taxonomy stream, appended with its version (If-Match, or the version it was decided on).
 */
export async function categoryRoutes(app: FastifyInstance, options: { context: WorkflowContext; catalog?: CategoryCatalog }): Promise<void> {
  const { context } = options;
  const catalog = options.catalog ?? new CategoryCatalog(context.store);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = [CATEGORY_TAG.name];
  const security = [{ bearer: [] }];
  const guarded = 'Send the taxonomy’s ETag as If-Match to refuse the change (409) when it changed since you read it.';

  /** The instansi the staff member belongs to (an instansi admin may sit on a unit after a hand-over). */
  const instansiOf = async (actor: StaffActor): Promise<string | null> => {
    const tree = await context.directory.knowing([actor.nodeId]);
    return tree.has(actor.nodeId) ? (tree.instansiOf(actor.nodeId)?.id ?? null) : null;
  };

  const run = async (request: FastifyRequest, reply: FastifyReply, command: WithoutMetadata, status: 200 | 201): Promise<CategoryChangeAccepted> => {
    const actor = await requireStaff(request);
    const expected = ifMatchVersion(request);
    const metadata = { now: context.now(), actor, actorInstansiId: await instansiOf(actor) };
    const { version } = await catalog.executeAll([{ ...command, metadata } as CategoryCommand], {
      commandId: commandIdOf(request, context.newId),
      correlationId: request.id,
      ...(expected !== undefined ? { expectedVersion: expected } : {}),
    });
    setVersion(reply, version);
    void reply.code(status);
    if (status === 201) void reply.header('location', `/categories/${encodeURIComponent(command.data.categoryId)}`);
    return { categoryId: command.data.categoryId, version: version.toString() };
  };

  // Not paged: a taxonomy, bounded by what admins name (national categories and one instansi's
  // additions), read whole with the version that its changes are made against.
  routes.get(
    '/categories',
    {
      schema: {
        operationId: 'listCategories',
        summary: 'The category taxonomy as the caller’s instansi sees it, inactive ones marked',
        description: 'National categories and the caller’s own instansi’s additions. Admin Nasional sees all, or one instansi’s view with ?instansiId.',
        tags,
        security,
        querystring: CategoryListQuery,
        response: { 200: CategoryView, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { taxonomy, version } = await catalog.latest();
      const everything = actor.role === 'admin_nasional' && request.query.instansiId === undefined;
      const viewer = actor.role === 'admin_nasional' ? (request.query.instansiId ?? null) : await instansiOf(actor);
      setVersion(reply, version);
      const categories = [...taxonomy.categories.values()].filter((category) => everything || visibleTo(category, viewer)).map(categoryView);
      return { version: version.toString(), categories };
    },
  );

  routes.get(
    '/categories/:categoryId',
    {
      schema: {
        operationId: 'getCategory',
        summary: 'One kategori or sub-kategori, as the caller’s list shows it',
        description: 'What POST /categories made is found at (its Location). A category the caller’s list does not show is 404.',
        tags,
        security,
        params: CategoryParams,
        response: { 200: Category, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { taxonomy, version } = await catalog.latest();
      const category = taxonomy.categories.get(request.params.categoryId);
      // Admin Nasional sees all of them, as its unfiltered list does
      const shown = category && (actor.role === 'admin_nasional' || visibleTo(category, await instansiOf(actor)));
      if (!category || !shown) throw notFound(`No category ${request.params.categoryId} that you can see.`);
      setVersion(reply, version);
      return categoryView(category);
    },
  );

  routes.post(
    '/categories',
    {
      schema: {
        operationId: 'addCategory',
        summary: 'Add a kategori or a sub-kategori (national, or an instansi’s own)',
        description: `Admin Nasional for the national taxonomy and any instansi; an instansi admin for its own instansi only. ${guarded}`,
        tags,
        security,
        body: AddCategoryBody,
        response: { 201: CategoryChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const { id, name, parentId, instansiId } = request.body;
      return run(request, reply, { type: 'AddCategory', data: { categoryId: id, name, parentId: parentId ?? null, instansiId: instansiId ?? null } }, 201);
    },
  );

  routes.patch(
    '/categories/:categoryId',
    {
      schema: {
        operationId: 'renameCategory',
        summary: 'Rename a category',
        description: `Recaps of earlier periods keep the name it had then. ${guarded}`,
        tags,
        security,
        params: CategoryParams,
        body: RenameCategoryBody,
        response: { 200: RenameCategoryAnswer, ...problems },
      },
    },
    async (request, reply) => run(request, reply, { type: 'RenameCategory', data: { categoryId: request.params.categoryId, name: request.body.name } }, 200),
  );

  routes.post(
    '/categories/:categoryId/deactivation',
    {
      schema: {
        operationId: 'deactivateCategory',
        summary: 'Deactivate a category: no complaint is verified into it any more',
        description: `A kategori only once its sub-kategori are inactive. It stays for the complaints and recaps that name it. ${guarded}`,
        tags,
        security,
        params: CategoryParams,
        response: { 200: DeactivateCategoryAnswer, ...problems },
      },
    },
    async (request, reply) => run(request, reply, { type: 'DeactivateCategory', data: { categoryId: request.params.categoryId } }, 200),
  );
}

type CategoryState = Parameters<typeof currentName>[0];

const categoryView = (category: CategoryState): Category => ({
  id: category.id,
  name: currentName(category),
  parentId: category.parentId,
  instansiId: category.instansiId,
  active: category.active,
});
