import { NodeId, NodeName, NodeSlug } from '@lapor/domain';
import { nameSchemas, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMINISTRATION_TAG, NodeParams, OrganisationChangeAccepted, problems } from '../schemas';
import { runOrganisationCommand } from './execute';
import type { OpenedOrganisation } from './open';

const effectiveAt = z.iso.datetime({ offset: true }).optional();

export const MergeBody = z.strictObject({
  /** The units (or sub-units) that cease to exist. */
  unitIds: z.array(NodeId).min(1).max(50),
  successor: z.strictObject({
    /** An existing active unit that absorbs the others, or the id of a new one. */
    id: NodeSlug,
    /** Given: a new unit by this name under the merged units' common parent. Absent: `id` exists and absorbs them. */
    name: NodeName.trim().optional(),
  }),
  effectiveAt,
});

export const SplitBody = z.strictObject({
  /** The new units that replace it, beside it under its parent. */
  into: z
    .array(z.strictObject({ id: NodeSlug, name: NodeName.trim() }))
    .min(2)
    .max(50),
  /** Which new unit inherits its open complaints, sub-units and history. */
  heirId: NodeSlug,
  effectiveAt,
});

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { MergeUnitsBody: MergeBody, SplitUnitBody: SplitBody },
  {
    MergeUnitsBody: {
      description: 'Units merged by decree: those that cease to exist, the unit that absorbs them (existing, or new when named), and from when',
      examples: [
        {
          unitIds: ['ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', 'ntt-dinas-perumahan-rakyat-dan-kawasan-permukiman'],
          successor: { id: 'ntt-dinas-pupr-dan-perkim', name: 'Dinas Pekerjaan Umum, Perumahan Rakyat dan Kawasan Permukiman' },
          effectiveAt: '2027-01-01T00:00:00+08:00',
        },
      ],
    },
    SplitUnitBody: {
      description: 'A unit split by decree: the new units beside it, which of them inherits its open complaints and history, and from when',
      examples: [
        {
          into: [
            { id: 'ntt-dinas-pendidikan', name: 'Dinas Pendidikan' },
            { id: 'ntt-dinas-kebudayaan', name: 'Dinas Kebudayaan' },
          ],
          heirId: 'ntt-dinas-pendidikan',
          effectiveAt: '2027-01-01T00:00:00+08:00',
        },
      ],
    },
  },
);

/**
 * Merging and splitting units by decree. The organisation change is one append; the restructured
 * units' open complaints follow to the successor right after (Successions), each on its own stream,
 * keeping their status and deadlines.
 */
export async function restructuringRoutes(app: FastifyInstance, options: { context: WorkflowContext; opened?: OpenedOrganisation }): Promise<void> {
  const { context, opened } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = [ADMINISTRATION_TAG.name];
  const security = [{ bearer: [] }];
  const guarded = 'Send the tree’s ETag as If-Match to refuse the change (409) when the tree changed since you read it.';

  routes.post(
    '/organisation/merges',
    {
      schema: {
        operationId: 'mergeUnits',
        summary: 'Merge units into a successor, with the decree’s effective date',
        description:
          'The successor is a new unit (give its name) or an existing one that absorbs the others. The merged units become inactive; their active sub-units move ' +
          'under the successor; their open complaints are handed to it (ComplaintHandedOver) with their status and deadlines. The recap of a past period keeps ' +
          `the units as they were; the current-structure view counts their history under the successor. ${guarded}`,
        tags,
        security,
        body: MergeBody,
        response: { 201: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { unitIds, successor, effectiveAt: at } = request.body;
      const answer = await runOrganisationCommand(
        context,
        request,
        reply,
        actor,
        { type: 'MergeUnits', data: { nodeIds: unitIds, successorId: successor.id, successorName: successor.name ?? null, effectiveAt: at ?? null } },
        201,
      );
      opened?.successions.kick();
      return answer;
    },
  );

  routes.post(
    '/organisation/nodes/:nodeId/split',
    {
      schema: {
        operationId: 'splitUnit',
        summary: 'Split a unit into new units, with the decree’s effective date',
        description:
          'The new units are added beside it; it becomes inactive. The heir inherits its open complaints (a liaison returns any that belong to a sibling, and ' +
          `the instansi disposes it there), its sub-units, and its history in the current-structure recap. ${guarded}`,
        tags,
        security,
        params: NodeParams,
        body: SplitBody,
        response: { 201: OrganisationChangeAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { into, heirId, effectiveAt: at } = request.body;
      const answer = await runOrganisationCommand(
        context,
        request,
        reply,
        actor,
        {
          type: 'SplitUnit',
          data: { nodeId: request.params.nodeId, into: into.map((part) => ({ nodeId: part.id, name: part.name })), heirId, effectiveAt: at ?? null },
        },
        201,
      );
      opened?.successions.kick();
      return answer;
    },
  );
}
