import { complaintDecider, normaliseTrackingId, STATUS_LABELS, type ComplaintCommand } from '@lapor/domain';
import {
  ANSWERS_ETAG,
  CITIZEN_FACING,
  acceptUploads,
  type AttachmentRef,
  API_KEY_HEADER,
  commandIdOf,
  commandMetadata,
  discardUploads,
  ifMatchVersion,
  notFound,
  Problem,
  PROBLEM_BASE,
  PROBLEM_CONTENT_TYPE,
  PUBLIC_BUDGET,
  refOf,
  receiveUploads,
  reporterFromSecret,
  requireIntegration,
  requireStaff,
  setVersion,
  withUploads,
} from '@lapor/http-kit';
import { isPubliclyVisible, publicHistory, SubmissionBody, submitComplaint, type Submitter } from '@lapor/submission';
import { complaintIdForTrackingId } from '@lapor/workflow';
import type { StoredAttachment } from '@lapor/attachment-store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { integrationRoutes, type IntegrationOptions } from './integrations/routes';
import { reporterSideRoutes } from './reporter-side-routes';
import { CommandAccepted, PublicView, RatingBody, ReporterMessage, SubmissionAccepted, TrackingParams } from './schemas';

type ReporterCommand = Omit<Extract<ComplaintCommand, { type: 'SupplyMissingData' | 'ReplyToFollowUp' | 'RateHandling' }>, 'metadata'>;
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
// a command with files: one too large or too many (413), a type not allowed (415), the complaint's personal data erased (410)
const uploadProblems = { 410: Problem, 413: Problem, 415: Problem };
const WITH_FILES =
  ' Files come with it as `multipart/form-data`: first the field `command` holding this JSON body, then the files ' +
  '(JPEG, PNG, WebP, HEIC, PDF, office documents, told by their content; limits in LAPOR_ATTACHMENT_*). They are sealed with the complaint.';

/** What intake's routes work with: the workflow, and the systems' list read model (openSystemList). */
export type IntakeOptions = IntegrationOptions;

/**
 * Intake: complaints in on every channel, the public tracking page, what a reporter does on their
 * own complaint (supply missing data, reply, rate) with their tracking id and secret, and what an
 * integrating system reads back of what it sent.
 */
export async function intakeRoutes(app: FastifyInstance, options: IntakeOptions): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  await acceptUploads(app);

  routes.post(
    '/complaints',
    {
      config: { ...PUBLIC_BUDGET, ...CITIZEN_FACING },
      schema: {
        operationId: 'submitComplaint',
        summary: 'Submit a complaint, aspiration, information request or WBS report',
        description:
          'Without a token: a citizen on the web or the app, answered with a tracking id and a reporter secret (shown once). ' +
          'With a staff token: an admin typing in a letter, a visit, a call, an e-mail or a social-media post. ' +
          'With an API key (x-api-key): an agency system or the SMS 1708 gateway, on the channels its key allows. ' +
          'A system’s `externalReference` names one complaint for good: sent again with the same content, the answer is 200 ' +
          'with that complaint (`alreadySubmitted: true`); with other content, 409 naming body.externalReference.' +
          WITH_FILES,
        tags: ['intake'],
        // open to the public; a staff token switches to the staff channels
        security: [{}, { bearer: [] }, { apiKey: [] }],
        body: SubmissionBody,
        response: { 200: SubmissionAccepted, 201: SubmissionAccepted, ...problems, ...uploadProblems },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // Who submits: a signed-in admin, an integrating system with its key, or a citizen.
      const staff = request.headers.authorization ? await requireStaff(request, ['admin_nasional', 'admin_instansi']) : undefined;
      const system = !staff && request.headers[API_KEY_HEADER] !== undefined ? await requireIntegration(request, context.apiKeys) : undefined;
      const submitter: Submitter = staff ? { role: 'staff', actor: staff } : system ? { role: 'system', ...system } : { role: 'citizen' };
      let uploaded: { complaintId: string; files: StoredAttachment[] } | undefined;
      const outcome = await submitComplaint(context, body, submitter, {
        commandId: commandIdOf(request, context.newId),
        correlationId: request.id,
        idempotent: request.idempotency !== undefined,
        // the reporter's evidence, whoever brings it in: sealed with their identity, erased with it
        // (only a multipart request brings files: without them there is nothing to store first)
        ...(request.isMultipart()
          ? {
              attach: async (complaintId: string, anonymous: boolean) => {
                uploaded = { complaintId, files: await receiveUploads(context, request, { complaintId, sealedUnder: 'complaint', stripGps: anonymous }) };
                return uploaded.files.map(refOf);
              },
            }
          : {}),
      }).catch(async (error: unknown) => {
        if (uploaded)
          await discardUploads(
            context,
            uploaded.files.map((file) => file.id),
          );
        throw error;
      });
      if (uploaded)
        await context.attachments.attach(
          uploaded.complaintId,
          uploaded.files.map((file) => file.id),
        );
      if (outcome.result === 'conflict') {
        // answered here, not thrown: the problem names the field, which HttpProblem cannot carry
        const detail = `${outcome.trackingId} was submitted under this external reference with other content (${outcome.fields.map((field) => `body.${field}`).join(', ')}); send a new reference for a new complaint.`;
        return reply
          .code(409)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            type: `${PROBLEM_BASE}external-reference-conflict`,
            title: 'External reference already used',
            status: 409,
            detail,
            instance: request.url,
            errors: [{ field: 'body.externalReference', message: detail }],
          });
      }
      setVersion(reply, outcome.version);
      // where it can be read: the public tracking page, or for a confidential complaint (which that page
      // never shows) the staff read of it
      void reply.header('location', outcome.publiclyVisible ? `/tracking/${outcome.trackingId}` : `/complaints/${outcome.complaintId}`);
      return reply.code(outcome.result === 'created' ? 201 : 200).send({
        complaintId: outcome.complaintId,
        trackingId: outcome.trackingId,
        status: outcome.status,
        ...(outcome.result === 'created' && outcome.reporterSecret ? { reporterSecret: outcome.reporterSecret } : {}),
        version: outcome.version.toString(),
        ...(outcome.result === 'existing' ? { alreadySubmitted: true } : {}),
        ...(uploaded && uploaded.files.length > 0 ? { attachments: uploaded.files.map(refOf) } : {}),
      });
    },
  );

  routes.get(
    '/tracking/:trackingId',
    {
      config: { ...PUBLIC_BUDGET, ...CITIZEN_FACING, ...ANSWERS_ETAG },
      schema: {
        operationId: 'trackComplaint',
        summary: 'Public status of a complaint by its tracking id',
        description: 'A confidential complaint is not shown here (404), nor is anything about who reported it.',
        tags: ['intake'],
        security: [],
        params: TrackingParams,
        response: { 200: PublicView, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const trackingId = normaliseTrackingId(request.params.trackingId);
      if (!trackingId) throw notFound('No complaint with this tracking id.');
      const loaded = await context.repository.load(complaintIdForTrackingId(trackingId));
      const state = loaded.state;
      if (!isPubliclyVisible(state)) throw notFound('No complaint with this tracking id.');
      // the reporter's next command may send it back as If-Match
      setVersion(reply, loaded.version!);
      const submitted = loaded.events.find((event) => event.type === 'ComplaintSubmitted');
      return {
        trackingId: state.trackingId,
        kind: state.kind,
        title: submitted?.type === 'ComplaintSubmitted' ? submitted.data.title : null,
        status: state.status,
        statusLabel: STATUS_LABELS[state.status],
        receivedAt: state.receivedAt,
        history: publicHistory(loaded.events),
      };
    },
  );

  /** A reporter's own command: their complaint only (any other looks absent), with the version they saw. */
  const asReporter = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rawTrackingId: string,
    command: (complaintId: string, attachments: AttachmentRef[]) => ReporterCommand,
  ) => {
    const actor = reporterFromSecret(request);
    const trackingId = normaliseTrackingId(rawTrackingId);
    if (!trackingId) throw notFound('No complaint with this tracking id.');
    const complaintId = complaintIdForTrackingId(trackingId);
    const loaded = await context.repository.load(complaintId);
    if (!loaded.state.submitted || loaded.state.reporterRef !== actor.id) throw notFound('No complaint of yours with this tracking id.');
    const target = { complaintId, sealedUnder: 'complaint', stripGps: loaded.state.anonymous } as const;
    const outcome = await withUploads(context, request, target, (attachments) =>
      context.repository.execute(
        { ...command(complaintId, attachments), metadata: commandMetadata(context, actor) } as ComplaintCommand,
        { commandId: commandIdOf(request, context.newId), correlationId: request.id, expectedVersion: ifMatchVersion(request) },
        loaded,
      ),
    );
    setVersion(reply, outcome.version);
    const after = outcome.events.reduce(complaintDecider.evolve, loaded.state);
    return {
      status: after.submitted ? after.status : loaded.state.status,
      version: outcome.version.toString(),
      ...(outcome.attachments ? { attachments: outcome.attachments } : {}),
    };
  };
  const reporterSchema = <Body extends z.ZodType>(operationId: string, summary: string, body: Body) => ({
    operationId,
    summary,
    description: `The reporter, with the secret returned at submission in the x-reporter-secret header.${WITH_FILES}`,
    tags: ['intake'],
    security: [{ reporterSecret: [] }],
    params: TrackingParams,
    body,
    response: { 200: CommandAccepted, ...problems, ...uploadProblems },
  });

  routes.post(
    '/tracking/:trackingId/missing-data',
    {
      config: { ...PUBLIC_BUDGET, ...CITIZEN_FACING },
      schema: reporterSchema('supplyMissingData', 'Supply the data an admin asked for (ends Tunda)', ReporterMessage),
    },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId, attachments) => ({
        type: 'SupplyMissingData',
        data: { complaintId, message: request.body.message, attachments },
      })),
  );
  routes.post(
    '/tracking/:trackingId/replies',
    { config: { ...PUBLIC_BUDGET, ...CITIZEN_FACING }, schema: reporterSchema('replyToFollowUp', 'Reply to the unit’s follow-up', ReporterMessage) },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId, attachments) => ({
        type: 'ReplyToFollowUp',
        data: { complaintId, replyId: context.newId(), message: request.body.message, attachments },
      })),
  );
  routes.post(
    '/tracking/:trackingId/rating',
    { config: { ...PUBLIC_BUDGET, ...CITIZEN_FACING }, schema: reporterSchema('rateHandling', 'Rate the handling, 1 to 5, once it is completed', RatingBody) },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId) => ({
        type: 'RateHandling',
        data: { complaintId, rating: request.body.rating, comment: request.body.comment ?? null },
      })),
  );

  // the same three on the reporter's side, typed in by an admin for a reporter who came on paper
  await reporterSideRoutes(app, context);

  await app.register(integrationRoutes, { context, systemList: options.systemList });
}
