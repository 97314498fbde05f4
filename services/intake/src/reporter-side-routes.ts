import { EnteredVia } from '@lapor/domain';
import {
  CommandAccepted,
  ComplaintParams,
  loadReadable,
  nameSchemas,
  Problem,
  requireStaff,
  runStaffCommand,
  withUploads,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

// A reporter who came by letter, in person or by phone has no tracking secret to act with, so
// without these a Tunda on a letter could only end in the auto-archive. The admin over the
// complaint types in what the reporter brought, naming the channel it came by; the events are
// the reporter's own kinds, so every read side counts them like the reporter's own.

const text = (max: number) => z.string().trim().min(1).max(max);
const ADMINS = ['admin_nasional', 'admin_instansi'] as const;
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const uploadProblems = { 410: Problem, 413: Problem, 415: Problem };

const enteredVia = EnteredVia.describe('How the reporter brought it to the office: letter, face_to_face, call_centre, email or social_media.');
export const ReporterSideMessage = z.strictObject({ message: text(10_000), enteredVia });
export const ReporterSideRating = z.strictObject({ rating: z.int().min(1).max(5), comment: text(2_000).optional(), enteredVia });
const ReporterSideReply = ReporterSideMessage.extend({});

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { EnterMissingDataForReporterBody: ReporterSideMessage, EnterReplyForReporterBody: ReporterSideReply, EnterRatingForReporterBody: ReporterSideRating },
  {
    EnterMissingDataForReporterBody: {
      description: 'What a reporter without a tracking secret brought to the office in answer to a Tunda, typed in by the admin, and how it came',
      examples: [
        {
          message: 'Pelapor datang ke kantor: lubang berada tepat di depan gerbang SD Inpres Oebufu, sekitar 50 meter dari pertigaan.',
          enteredVia: 'face_to_face',
        },
      ],
    },
    EnterReplyForReporterBody: {
      description: 'A reporter’s reply to a follow-up, brought by letter, phone or in person and typed in by the admin, and how it came',
      examples: [{ message: 'Menurut surat pelapor, lubang sudah ditambal sebagian tetapi belum diaspal ulang.', enteredVia: 'letter' }],
    },
    EnterRatingForReporterBody: {
      description: 'A reporter’s rating (1 to 5) given by phone, letter or in person, typed in by the admin, and how it came',
      examples: [{ rating: 4, comment: 'Ditangani cukup cepat, terima kasih.', enteredVia: 'call_centre' }],
    },
  },
);

const WITH_SCANS =
  ' Scans and photos the reporter handed in come with it as `multipart/form-data`: first the field `command` holding this JSON body, ' +
  'then the files (as for a submission). They are the reporter’s evidence: sealed with the complaint and erased with its personal data.';

export async function reporterSideRoutes(app: FastifyInstance, context: WorkflowContext): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = <Body extends z.ZodType>(operationId: string, summary: string, description: string, body: Body, withFiles: boolean) => ({
    operationId,
    summary,
    description: `${description} Send the ETag you read as If-Match to guard against a concurrent change.${withFiles ? WITH_SCANS : ''}`,
    tags: ['intake'],
    security: [{ bearer: [] }],
    params: ComplaintParams,
    body,
    response: { 200: CommandAccepted, ...problems, ...(withFiles ? uploadProblems : {}) },
  });

  /** A message on the reporter's side with the files they handed in, after the scope check (nothing stored for a complaint out of sight). */
  const enterForReporter = async (
    request: FastifyRequest,
    reply: FastifyReply,
    complaintId: string,
    body: z.infer<typeof ReporterSideMessage>,
    type: 'SupplyMissingData' | 'ReplyToFollowUp',
  ) => {
    const actor = await requireStaff(request, ADMINS);
    const { state } = await loadReadable(context, complaintId, actor);
    const target = { complaintId, sealedUnder: 'complaint', stripGps: state.submitted && state.anonymous } as const;
    const { message, enteredVia: via } = body;
    return withUploads(context, request, target, (attachments) =>
      runStaffCommand(context, request, reply, actor, complaintId, (complaint) =>
        type === 'SupplyMissingData'
          ? { type, data: { complaintId: complaint.complaintId, message, attachments, enteredVia: via } }
          : { type, data: { complaintId: complaint.complaintId, replyId: context.newId(), message, attachments, enteredVia: via } },
      ),
    );
  };

  routes.post(
    '/complaints/:complaintId/reporter-side/missing-data',
    {
      schema: schema(
        'enterMissingDataForReporter',
        'Enter the missing data a reporter brought by letter, in person or by phone (ends Tunda)',
        'The admin holding the complaint (Admin Nasional or Admin Instansi), for a reporter who cannot answer online.',
        ReporterSideMessage,
        true,
      ),
    },
    (request, reply) => enterForReporter(request, reply, request.params.complaintId, request.body, 'SupplyMissingData'),
  );

  routes.post(
    '/complaints/:complaintId/reporter-side/replies',
    {
      schema: schema(
        'enterReplyForReporter',
        'Enter a reporter’s reply to the unit’s follow-up that came by letter, in person or by phone',
        'Admin Nasional, or the Admin Instansi of the complaint’s instansi.',
        ReporterSideReply,
        true,
      ),
    },
    (request, reply) => enterForReporter(request, reply, request.params.complaintId, request.body, 'ReplyToFollowUp'),
  );

  routes.post(
    '/complaints/:complaintId/reporter-side/rating',
    {
      schema: schema(
        'enterRatingForReporter',
        'Record the rating a reporter without online access gave, 1 to 5, once the complaint is completed',
        'Admin Nasional, or the Admin Instansi of the complaint’s instansi, and only for a complaint whose reporter has no way to act ' +
          'themselves (typed in from a letter, a visit or a call): where the reporter can rate, only they do (403 REPORTER_CAN_ACT).',
        ReporterSideRating,
        false,
      ),
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ADMINS);
      const { rating, comment, enteredVia: via } = request.body;
      return runStaffCommand(context, request, reply, actor, request.params.complaintId, (complaint) => ({
        type: 'RateHandling',
        data: { complaintId: complaint.complaintId, rating, comment: comment ?? null, enteredVia: via },
      }));
    },
  );
}
