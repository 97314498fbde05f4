import { SlaClass, type OrganisationTree } from '@lapor/domain';
import {
  CommandAccepted,
  ComplaintParams,
  HttpProblem,
  loadReadable,
  nameSchemas,
  Problem,
  requireStaff,
  runStaffCommand,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

const DisposeBody = z.strictObject({
  /** A node directly below the holder: an instansi (from nasional), a unit, or a sub-unit. */
  to: z.string().min(1).max(100),
  /** Bodies that get a copy for coordination (tembusan). */
  tembusan: z.array(z.string().min(1).max(100)).max(20).default([]),
  slaClass: SlaClass.optional(),
  note: text(10_000).optional(),
});
const ReturnBody = z.strictObject({ reason: text(10_000) });

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { DisposeComplaintBody: DisposeBody, ReturnComplaintBody: ReturnBody },
  {
    DisposeComplaintBody: {
      description: 'Disposisi: the node directly below that takes the complaint, who gets a copy (tembusan), and a note for them',
      examples: [
        {
          to: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
          tembusan: ['ntt-dinas-pendidikan-dan-kebudayaan'],
          note: 'Mohon ditindaklanjuti; lokasi di depan sekolah.',
        },
      ],
    },
    ReturnComplaintBody: {
      description: 'Bukan Wewenang: why the complaint is not this node’s to handle; it goes back up to the node that sent it',
      examples: [{ reason: 'Jalan Frans Seda adalah jalan kota, bukan jalan provinsi; kewenangan Pemerintah Kota Kupang.' }],
    },
  },
);

/** Disposition: handing a complaint down the tree, and Bukan Wewenang back up it. */
export async function dispositionRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = <Body extends z.ZodType>(operationId: string, summary: string, description: string, body: Body) => ({
    operationId,
    summary,
    description,
    tags: ['disposition'],
    security: [{ bearer: [] }],
    params: ComplaintParams,
    body,
    response: { 200: CommandAccepted, ...problems },
  });
  // The tree as stored now, not as this process last read it: a unit created a moment ago in another
  // process is found, and one deactivated a moment ago is refused (one indexed read per disposition).
  const knownNode = (tree: OrganisationTree, nodeId: string, field: string) => {
    if (!tree.has(nodeId)) throw new HttpProblem(422, 'unknown-node', 'Unknown node', `${field}: no node ${nodeId}`);
    return tree.nodeRef(nodeId);
  };

  routes.post(
    '/complaints/:complaintId/dispositions',
    {
      schema: schema(
        'disposeComplaint',
        'Dispose to a node directly below the holder, with copies (tembusan)',
        'The holder: Admin Nasional to an instansi, Admin Instansi to a unit, a unit liaison to a sub-unit.',
        DisposeBody,
      ),
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const body = request.body;
      // the complaint and the tree as stored now, in one read: a unit deactivated a moment ago elsewhere takes nothing
      const readable = await loadReadable(context, request.params.complaintId, actor, [context.directory]);
      const tree = context.directory.tree;
      const to = knownNode(tree, body.to, 'body.to');
      // deactivated: it finishes what it holds but takes nothing new (see decideOrganisation)
      if (!tree.isActive(body.to))
        throw new HttpProblem(422, 'inactive-node', 'Inactive node', `body.to: ${body.to} has been deactivated and takes no new dispositions`);
      body.tembusan.forEach((nodeId, index) => knownNode(tree, nodeId, `body.tembusan.${index}`));
      return runStaffCommand(context, request, reply, actor, readable, (complaint) => ({
        type: 'DisposeComplaint',
        data: { complaintId: complaint.complaintId, to, tembusan: body.tembusan, slaClass: body.slaClass ?? null, note: body.note ?? null },
      }));
    },
  );

  routes.post(
    '/complaints/:complaintId/returns',
    {
      schema: schema(
        'returnComplaint',
        'Bukan Wewenang: return the complaint one level up, with the reason',
        'The holder, at any level below nasional. The complaint goes to the holder’s parent node.',
        ReturnBody,
      ),
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      return runStaffCommand(context, request, reply, actor, request.params.complaintId, (complaint) => {
        const parentId = complaint.holder.parentId;
        return {
          type: 'ReturnComplaint',
          data: {
            complaintId: complaint.complaintId,
            to: parentId === null ? complaint.holder : context.directory.tree.nodeRef(parentId),
            reason: request.body.reason,
          },
        };
      });
    },
  );
}
