import { complaintDecider, generateTrackingId, normaliseTrackingId, STATUS_LABELS, type ComplaintCommand, type ComplaintEvent } from '@lapor/domain';
import {
  API_KEY_HEADER,
  commandIdOf,
  commandMetadata,
  forbidden,
  HttpProblem,
  ifMatchVersion,
  notFound,
  Problem,
  reporterFromSecret,
  reporterRefForSecret,
  requireIntegration,
  requireStaff,
  setVersion,
  type WorkflowContext,
} from '@lapor/http-kit';
import { complaintIdForTrackingId } from '@lapor/workflow';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHash, randomBytes } from 'node:crypto';
import { CommandAccepted, PublicView, RatingBody, ReporterMessage, SubmissionAccepted, SubmissionBody, TrackingParams } from './schemas';

const PUBLIC_CHANNELS = new Set(['web', 'mobile_app']);
/** Route config for the gateway's rate limiter: public callers only; staff and systems identify themselves. */
const PUBLIC_RATE_LIMIT = {
  rateLimit: { allowList: (request: FastifyRequest) => request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined },
};
type ReporterCommand = Omit<Extract<ComplaintCommand, { type: 'SupplyMissingData' | 'ReplyToFollowUp' | 'RateHandling' }>, 'metadata'>;
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** What the public page may say about each event: never who, never what was written. */
const PUBLIC_EVENT_LABELS: Partial<Record<ComplaintEvent['type'], string>> = {
  ComplaintSubmitted: 'Laporan diterima',
  ComplaintVerified: 'Laporan diverifikasi',
  MissingDataRequested: 'Menunggu kelengkapan data dari pelapor',
  MissingDataSupplied: 'Data tambahan diterima',
  ComplaintArchived: 'Laporan diarsipkan',
  AspirationAnswered: 'Aspirasi dijawab',
  ComplaintDisposed: 'Didisposisikan ke instansi/unit terkait',
  ComplaintReturned: 'Dikembalikan: bukan wewenang',
  FollowUpPosted: 'Tindak lanjut',
  ReporterReplied: 'Tanggapan pelapor',
  ComplaintCompleted: 'Selesai',
  HandlingRated: 'Penilaian pelapor',
};

/**
 * Intake: complaints in on every channel, the public tracking page, and what a reporter does on
 * their own complaint (supply missing data, reply, rate) with their tracking id and secret.
 */
export async function intakeRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/complaints',
    {
      config: PUBLIC_RATE_LIMIT,
      schema: {
        operationId: 'submitComplaint',
        summary: 'Submit a complaint, aspiration, information request or WBS report',
        description:
          'Without a token: a citizen on the web or the app, answered with a tracking id and a reporter secret (shown once). ' +
          'With a staff token: an admin typing in a letter, a visit, a call, an e-mail or a social-media post. ' +
          'With an API key (x-api-key): an agency system or the SMS 1708 gateway, on the channels its key allows.',
        tags: ['intake'],
        // open to the public; a staff token switches to the staff channels
        security: [{}, { bearer: [] }, { apiKey: [] }],
        body: SubmissionBody,
        response: { 201: SubmissionAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // Who submits: a signed-in admin, an integrating system with its key, or a citizen.
      const staff = request.headers.authorization ? await requireStaff(request, ['admin_nasional', 'admin_instansi']) : undefined;
      const system = !staff && request.headers[API_KEY_HEADER] !== undefined ? await requireIntegration(request, context.apiKeys) : undefined;
      if (system && !system.key.channels.includes(body.channel)) {
        throw forbidden(`This API key may submit on ${system.key.channels.join(', ')}, not ${body.channel}.`);
      }
      if (!staff && !system && !PUBLIC_CHANNELS.has(body.channel)) {
        throw new HttpProblem(401, 'unauthorized', 'Unauthorized', `The ${body.channel} channel is for staff and integrating systems; sign in or send an API key.`);
      }
      const tree = context.directory.tree;
      const addressedTo = body.addressedTo ?? system?.key.instansiId ?? 'nasional';
      if (!tree.has(addressedTo)) {
        throw new HttpProblem(422, 'unknown-addressee', 'Unknown addressee', `body.addressedTo: no node ${addressedTo}`);
      }
      const citizen = !staff && !system;
      const secret = citizen ? randomBytes(24).toString('base64url') : undefined;
      const actor = staff ?? system?.actor ?? { role: 'reporter' as const, id: reporterRefForSecret(secret!), nodeId: null };
      // Under an Idempotency-Key the tracking id follows from the key, so a retry that runs again
      // after a crash meets the complaint it already made instead of making a second one.
      const commandId = commandIdOf(request, context.newId);
      const trackingId = generateTrackingId((size) =>
        request.idempotency ? createHash('sha256').update(commandId).digest().subarray(0, size) : randomBytes(size),
      );
      const complaintId = complaintIdForTrackingId(trackingId);
      const outcome = await context.repository.execute(
        {
          type: 'SubmitComplaint',
          data: {
            complaintId,
            trackingId,
            kind: body.kind,
            channel: body.channel,
            title: body.title,
            description: body.description,
            occurredOn: body.occurredOn ?? null,
            location: body.location ?? null,
            attachmentIds: [],
            addressedTo: tree.nodeRef(addressedTo),
            reporter: body.reporter ? await context.vault.seal(complaintId, body.reporter) : null,
            reporterRef: citizen ? actor.id : null,
            anonymous: body.anonymous,
            confidential: body.confidential || body.kind === 'wbs',
            externalReference: body.externalReference ?? null,
          },
          metadata: commandMetadata(context, actor),
        },
        { commandId, correlationId: request.id },
      );
      setVersion(reply, outcome.version);
      void reply.header('location', `/tracking/${trackingId}`);
      return reply.code(201).send({
        complaintId,
        trackingId,
        status: 'BELUM_TERVERIFIKASI' as const,
        ...(secret ? { reporterSecret: secret } : {}),
        version: outcome.version.toString(),
      });
    },
  );

  routes.get(
    '/tracking/:trackingId',
    {
      config: PUBLIC_RATE_LIMIT,
      schema: {
        operationId: 'trackComplaint',
        summary: 'Public status of a complaint by its tracking id',
        description: 'A confidential complaint is not shown here (404), nor is anything about who reported it.',
        tags: ['intake'],
        security: [],
        params: TrackingParams,
        response: { 200: PublicView, 404: Problem },
      },
    },
    async (request) => {
      const trackingId = normaliseTrackingId(request.params.trackingId);
      if (!trackingId) throw notFound('No complaint with this tracking id.');
      const loaded = await context.repository.load(complaintIdForTrackingId(trackingId));
      const state = loaded.state;
      if (!state.submitted || state.confidential) throw notFound('No complaint with this tracking id.');
      const submitted = loaded.events.find((event) => event.type === 'ComplaintSubmitted');
      return {
        trackingId: state.trackingId,
        kind: state.kind,
        title: submitted?.type === 'ComplaintSubmitted' ? submitted.data.title : null,
        status: state.status,
        statusLabel: STATUS_LABELS[state.status],
        receivedAt: state.receivedAt,
        history: loaded.events.flatMap((event) => {
          const label = PUBLIC_EVENT_LABELS[event.type];
          return label ? [{ at: event.data.at, event: label }] : [];
        }),
      };
    },
  );

  /** A reporter's own command: their complaint only (any other looks absent), with the version they saw. */
  const asReporter = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rawTrackingId: string,
    command: (complaintId: string) => ReporterCommand,
  ) => {
    const actor = reporterFromSecret(request);
    const trackingId = normaliseTrackingId(rawTrackingId);
    if (!trackingId) throw notFound('No complaint with this tracking id.');
    const complaintId = complaintIdForTrackingId(trackingId);
    const loaded = await context.repository.load(complaintId);
    if (!loaded.state.submitted || loaded.state.reporterRef !== actor.id) throw notFound('No complaint of yours with this tracking id.');
    const outcome = await context.repository.execute(
      { ...command(complaintId), metadata: commandMetadata(context, actor) } as ComplaintCommand,
      { commandId: commandIdOf(request, context.newId), correlationId: request.id, expectedVersion: ifMatchVersion(request) },
      loaded,
    );
    setVersion(reply, outcome.version);
    const after = outcome.events.reduce(complaintDecider.evolve, loaded.state);
    return { status: after.submitted ? after.status : loaded.state.status, version: outcome.version.toString() };
  };
  const reporterSchema = <Body extends z.ZodType>(operationId: string, summary: string, body: Body) => ({
    operationId,
    summary,
    description: 'The reporter, with the secret returned at submission in the x-reporter-secret header.',
    tags: ['intake'],
    security: [{ reporterSecret: [] }],
    params: TrackingParams,
    body,
    response: { 200: CommandAccepted, ...problems },
  });

  routes.post(
    '/tracking/:trackingId/missing-data',
    { config: PUBLIC_RATE_LIMIT, schema: reporterSchema('supplyMissingData', 'Supply the data an admin asked for (ends Tunda)', ReporterMessage) },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId) => ({
        type: 'SupplyMissingData',
        data: { complaintId, message: request.body.message, attachmentIds: [] },
      })),
  );
  routes.post(
    '/tracking/:trackingId/replies',
    { config: PUBLIC_RATE_LIMIT, schema: reporterSchema('replyToFollowUp', 'Reply to the unit’s follow-up', ReporterMessage) },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId) => ({
        type: 'ReplyToFollowUp',
        data: { complaintId, replyId: context.newId(), message: request.body.message, attachmentIds: [] },
      })),
  );
  routes.post(
    '/tracking/:trackingId/rating',
    { config: PUBLIC_RATE_LIMIT, schema: reporterSchema('rateHandling', 'Rate the handling, 1 to 5, once it is completed', RatingBody) },
    (request, reply) =>
      asReporter(request, reply, request.params.trackingId, (complaintId) => ({
        type: 'RateHandling',
        data: { complaintId, rating: request.body.rating, comment: request.body.comment ?? null },
      })),
  );
}
