import type { OrganisationState, OrganisationTree } from '@lapor/domain';
import { HttpProblem, notFound, requireStaff, setVersion, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { runOrganisationCommand, type CommandWithoutMetadata } from './organisation/execute';
import type { OpenedOrganisation } from './organisation/open';
import { onboardingRoutes } from './organisation/onboarding/routes';
import { restructuringRoutes } from './organisation/restructuring-routes';
import { categoryRoutes } from './categories/routes';
import {
  ADMINISTRATION_TAG,
  AddUnitBody,
  ChangeNodeBody,
  DeactivationBody,
  NodeParams,
  OrganisationChangeAccepted,
  OrganisationNode,
  OrganisationView,
  problems,
  RegisterInstansiBody,
} from './schemas';

/**
 * The organisation tree as its administrators run it: Admin Nasional registers instansi, an instansi
 * admin builds and restructures its own units. Each change is one event on the organisation stream,
 * appended with the tree's version (If-Match, or the version it was decided on), and reaches every
 * process without a restart (OrganisationDirectory).
 */
export async function administrationRoutes(app: FastifyInstance, options: { context: WorkflowContext; opened?: OpenedOrganisation }): Promise<void> {
  const { context, opened } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = [ADMINISTRATION_TAG.name];
  const security = [{ bearer: [] }];
  const guarded = 'Send the tree’s ETag as If-Match to refuse the change (409) when the tree changed since you read it.';

  const run = (request: FastifyRequest, reply: FastifyReply, actor: StaffActor, command: CommandWithoutMetadata, status: 200 | 201) =>
    runOrganisationCommand(context, request, reply, actor, command, status);

  // Not paged: a tree, answered whole with its version (a page of a tree is no tree); it is the
  // country's nodes, held in every process already, and the same size for every caller.
  routes.get(
    '/organisation',
    {
      schema: {
        operationId: 'getOrganisation',
        summary: 'The organisation tree, inactive nodes marked',
        description:
          'Admin Nasional sees every node. Other staff see nasional, every instansi (they are public) and their own instansi’s units; another instansi’s units are not shown.',
        tags,
        security,
        response: { 200: OrganisationView, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      await context.directory.fresh();
      const { organisation, loadedVersion } = context.directory;
      setVersion(reply, loadedVersion);
      const shown = shownTo(actor, context.directory.tree);
      return { version: loadedVersion.toString(), nodes: [...organisation.nodes.values()].filter(shown).map(nodeView) };
    },
  );

  routes.get(
    '/organisation/nodes/:nodeId',
    {
      schema: {
        operationId: 'getOrganisationNode',
        summary: 'One node of the organisation tree, as GET /organisation shows it',
        description: 'What a node made or changed is found at (the Location of a 201). The same nodes are shown as in GET /organisation; another is 404.',
        tags,
        security,
        params: NodeParams,
        response: { 200: OrganisationNode, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      await context.directory.fresh();
      const { organisation, loadedVersion } = context.directory;
      const node = organisation.nodes.get(request.params.nodeId);
      if (!node || !shownTo(actor, context.directory.tree)(node)) throw notFound(`No node ${request.params.nodeId} that you can see.`);
      setVersion(reply, loadedVersion);
      return nodeView(node);
    },
  );

  routes.post(
    '/organisation/instansi',
    {
      schema: {
        operationId: 'registerInstansi',
        summary: 'Register an instansi (Admin Nasional)',
        description: `Its kind, its time zone (its units’ working days and deadlines count in it) and its place. ${guarded}`,
        tags,
        security,
        body: RegisterInstansiBody,
        response: { 201: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { id, name, kind, timeZone, parentId, effectiveAt } = request.body;
      return run(
        request,
        reply,
        actor,
        { type: 'RegisterInstansi', data: { nodeId: id, name, instansiKind: kind, timeZone, parentId, effectiveAt: effectiveAt ?? null } },
        201,
      );
    },
  );

  routes.post(
    '/organisation/nodes/:nodeId/units',
    {
      schema: {
        operationId: 'addUnit',
        summary: 'Add a unit under an instansi, or a sub-unit under a unit',
        description: `Admin Nasional anywhere; an instansi admin within its instansi. ${guarded}`,
        tags,
        security,
        params: NodeParams,
        body: AddUnitBody,
        response: { 201: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { id, name, effectiveAt } = request.body;
      const data = { nodeId: id ?? context.newId(), name, parentId: request.params.nodeId, effectiveAt: effectiveAt ?? null };
      return run(request, reply, actor, { type: 'AddUnit', data }, 201);
    },
  );

  routes.patch(
    '/organisation/nodes/:nodeId',
    {
      schema: {
        operationId: 'changeNode',
        summary: 'Rename a unit, or move it under another parent of its instansi',
        description: `One change per request: name or parentId. ${guarded}`,
        tags,
        security,
        params: NodeParams,
        body: ChangeNodeBody,
        response: { 200: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { nodeId } = request.params;
      const { name, parentId, effectiveAt = null } = request.body;
      const command: CommandWithoutMetadata =
        name !== undefined
          ? { type: 'RenameNode', data: { nodeId, name, effectiveAt } }
          : { type: 'MoveNode', data: { nodeId, parentId: parentId!, effectiveAt } };
      return run(request, reply, actor, command, 200);
    },
  );

  routes.post(
    '/organisation/nodes/:nodeId/deactivation',
    {
      schema: {
        operationId: 'deactivateNode',
        summary: 'Deactivate a unit: it takes no new dispositions',
        description:
          'Refused while active units sit below it, and while it holds open complaints (409 HOLDS_OPEN_COMPLAINTS): merge it into a successor instead, which inherits them. ' +
          `it stays in the tree, marked inactive, for the complaints and recaps that name it. ${guarded}`,
        tags,
        security,
        params: NodeParams,
        body: DeactivationBody,
        response: { 200: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { nodeId } = request.params;
      if (!opened) throw new HttpProblem(503, 'unavailable', 'Service Unavailable', 'the holdings read side is not open here');
      const openComplaints = await opened.openComplaints(nodeId);
      return run(request, reply, actor, { type: 'DeactivateNode', data: { nodeId, openComplaints, effectiveAt: request.body.effectiveAt ?? null } }, 200);
    },
  );

  await app.register(restructuringRoutes, { context, ...(opened ? { opened } : {}) });
  await app.register(onboardingRoutes, { context });
  await app.register(categoryRoutes, { context });
}

/** What a staff member may see of the tree: all of it for Admin Nasional; else the instansi level and their own instansi. */
type NodeState = OrganisationState['nodes'] extends ReadonlyMap<string, infer N> ? N : never;

/** Which nodes a staff member is shown: Admin Nasional all; others nasional, every instansi and their own instansi's units. */
function shownTo(actor: StaffActor, tree: OrganisationTree): (state: NodeState) => boolean {
  const own = tree.has(actor.nodeId) ? (tree.instansiOf(actor.nodeId)?.id ?? null) : null;
  return ({ node }) =>
    actor.role === 'admin_nasional' || node.kind === 'nasional' || node.kind === 'instansi' || (own !== null && tree.instansiOf(node.id)?.id === own);
}

const nodeView = ({ node, active, instansiKind }: NodeState): OrganisationNode => ({
  id: node.id,
  kind: node.kind,
  name: node.name,
  parentId: node.parentId,
  timeZone: node.kind === 'instansi' ? node.timeZone : null,
  instansiKind,
  active,
});
