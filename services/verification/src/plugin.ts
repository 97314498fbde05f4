import { ArchiveReason, SlaClass } from '@lapor/domain';
import { CommandAccepted, ComplaintParams, loadReadable, nameSchemas, Problem, requireStaff, runStaffCommand, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { categoryCheck } from './category-check';

const text = (max: number) => z.string().trim().min(1).max(max);
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const ADMINS = ['admin_nasional', 'admin_instansi'] as const;

const VerifyBody = z.strictObject({
  slaClass: SlaClass,
  category: text(300),
  /** Verification may add anonymity or confidentiality; it never lifts what the reporter asked for. */
  anonymous: z.boolean().optional(),
  confidential: z.boolean().optional(),
  note: text(10_000).optional(),
});
const MissingDataBody = z.strictObject({ message: text(10_000) });
const ArchiveBody = z.strictObject({ reason: ArchiveReason.exclude(['MISSING_DATA_TIMEOUT']), note: text(10_000).optional() });
const AnswerBody = z.strictObject({ answer: text(10_000), category: text(300).optional() });

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { VerifyComplaintBody: VerifyBody, RequestMissingDataBody: MissingDataBody, ArchiveComplaintBody: ArchiveBody, AnswerAspirationBody: AnswerBody },
  {
    VerifyComplaintBody: {
      description: 'Verifikasi: the SLA class that sets the deadlines, a category of the taxonomy, and any anonymity or confidentiality added',
      examples: [{ slaClass: 'pengawasan_lapangan', category: 'jalan-rusak', note: 'Laporan lengkap; diteruskan ke Dinas PUPR.' }],
    },
    RequestMissingDataBody: {
      description: 'Tunda: what the reporter is asked to add; the complaint waits for the answer (and is archived when none comes in time)',
      examples: [{ message: 'Mohon sebutkan titik lokasi lubang (patokan terdekat) dan lampirkan foto terbaru.' }],
    },
    ArchiveComplaintBody: {
      description: 'Arsipkan: why the complaint is closed without handling, with a note for the record',
      examples: [{ reason: 'DUPLICATE', note: 'Sama dengan laporan LAP-3HZ8W2QK5M yang sedang ditangani.' }],
    },
    AnswerAspirationBody: {
      description: 'The answer to an aspiration, which completes it, and the category it is counted under',
      examples: [
        {
          answer: 'Terima kasih atas usulannya. Penambahan lampu jalan di ruas Oebufu masuk rencana kerja Dinas PUPR tahun 2027.',
          category: 'penerangan-jalan',
        },
      ],
    },
  },
);

/** Verification: the administrators' first decisions on a complaint that reaches them. */
export async function verificationRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const categories = categoryCheck(context);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = <Body extends z.ZodType>(operationId: string, summary: string, body: Body) => ({
    operationId,
    summary,
    description: 'Admin Nasional or Admin Instansi holding the complaint. Send the ETag you read as If-Match to guard against a concurrent change.',
    tags: ['verification'],
    security: [{ bearer: [] }],
    params: ComplaintParams,
    body,
    response: { 200: CommandAccepted, ...problems },
  });

  routes.post(
    '/complaints/:complaintId/verification',
    { schema: schema('verifyComplaint', 'Verifikasi: accept with an SLA class and a category', VerifyBody) },
    async (request, reply) => {
      const actor = await requireStaff(request, ADMINS);
      const body = request.body;
      // the complaint and the taxonomy as stored now, in one read; the category is checked against that
      const readable = await loadReadable(context, request.params.complaintId, actor, [categories.catalog]);
      await categories.check(actor, 'category', body.category);
      return runStaffCommand(context, request, reply, actor, readable, (complaint) => ({
        type: 'VerifyComplaint',
        data: {
          complaintId: complaint.complaintId,
          slaClass: body.slaClass,
          category: body.category,
          anonymous: body.anonymous ?? complaint.anonymous,
          confidential: body.confidential ?? complaint.confidential,
          note: body.note ?? null,
        },
      }));
    },
  );

  routes.post(
    '/complaints/:complaintId/missing-data-requests',
    { schema: schema('requestMissingData', 'Tunda: ask the reporter for what is missing', MissingDataBody) },
    async (request, reply) => {
      const actor = await requireStaff(request, ADMINS);
      return runStaffCommand(context, request, reply, actor, request.params.complaintId, (complaint) => ({
        type: 'RequestMissingData',
        data: { complaintId: complaint.complaintId, requestId: context.newId(), message: request.body.message },
      }));
    },
  );

  routes.post('/complaints/:complaintId/archive', { schema: schema('archiveComplaint', 'Arsipkan, with a reason', ArchiveBody) }, async (request, reply) => {
    const actor = await requireStaff(request, ADMINS);
    return runStaffCommand(context, request, reply, actor, request.params.complaintId, (complaint) => ({
      type: 'ArchiveComplaint',
      data: { complaintId: complaint.complaintId, reason: request.body.reason, note: request.body.note ?? null, missingDataRequestId: null },
    }));
  });

  routes.post(
    '/complaints/:complaintId/aspiration-answer',
    { schema: schema('answerAspiration', 'Answer an aspiration directly (completes it)', AnswerBody) },
    async (request, reply) => {
      const actor = await requireStaff(request, ADMINS);
      const { category } = request.body;
      const readable = await loadReadable(context, request.params.complaintId, actor, category === undefined ? [] : [categories.catalog]);
      if (category !== undefined) await categories.check(actor, 'category', category);
      return runStaffCommand(context, request, reply, actor, readable, (complaint) => ({
        type: 'AnswerAspiration',
        data: { complaintId: complaint.complaintId, answer: request.body.answer, category: category ?? null },
      }));
    },
  );
}
