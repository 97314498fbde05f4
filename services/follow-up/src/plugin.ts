import type { ComplaintEvent } from '@lapor/domain';
import { CommandAccepted, ComplaintParams, loadReadable, Problem, requireStaff, runStaffCommand, setVersion, type WorkflowContext } from '@lapor/http-kit';
import { INBOX_OPENED, unitActivityStream } from '@lapor/accounts';
import type { ComplaintSummary } from '@lapor/workflow';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { ComplaintDetail, ErasureResult, FollowUpBody, Inbox, InboxQuery } from './schemas';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Event data as staff may see it: the sealed identity and the reporter's reference stay out. */
function visibleData(event: ComplaintEvent): Record<string, unknown> {
  const { at: _at, by: _by, ...data } = event.data as Record<string, unknown>;
  delete data.reporter;
  delete data.reporterRef;
  return data;
}

/** Follow-up: what a unit does with what it was given, its inbox, and a complaint's whole history. */
export async function followUpRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/complaints/:complaintId/follow-ups',
    {
      schema: {
        operationId: 'postFollowUp',
        summary: 'Tindak lanjut by the liaison of the unit the complaint was disposed to',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        params: ComplaintParams,
        body: FollowUpBody,
        response: { 200: CommandAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ['liaison']);
      return runStaffCommand(context, request, reply, actor, request.params.complaintId, (complaint) => ({
        type: 'PostFollowUp',
        data: { complaintId: complaint.complaintId, followUpId: context.newId(), message: request.body.message, attachmentIds: [] },
      }));
    },
  );

  routes.get(
    '/complaints/:complaintId',
    {
      schema: {
        operationId: 'getComplaint',
        summary: 'A complaint with its whole history, for staff who can see it',
        description: 'Staff see a complaint that came in, passed through, or was copied to their node or a node below it. Never the reporter’s identity.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        params: ComplaintParams,
        response: { 200: ComplaintDetail, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { state, events, version } = await loadReadable(context, request.params.complaintId, actor);
      setVersion(reply, version!);
      const submitted = events[0]?.type === 'ComplaintSubmitted' ? events[0].data : undefined;
      const sealed = submitted?.reporter ?? null;
      // An anonymous complaint's identity is kept sealed from everyone who handles it.
      const identity = sealed && !state.anonymous ? await context.vault.open(state.complaintId, sealed) : null;
      const reporterVisibility = !sealed ? 'none_given' : state.anonymous ? 'anonymous' : identity ? 'shown' : 'erased';
      return {
        complaintId: state.complaintId,
        trackingId: state.trackingId,
        kind: state.kind,
        channel: state.channel,
        status: state.status,
        anonymous: state.anonymous,
        confidential: state.confidential,
        holder: { id: state.holder.id, kind: state.holder.kind },
        assignedUnitId: state.assignedUnit?.id ?? null,
        tembusan: state.tembusan,
        hops: state.hops,
        slaClass: state.slaClass,
        category: state.category,
        rating: state.rating,
        receivedAt: state.receivedAt,
        version: version!.toString(),
        reporter: identity,
        reporterVisibility: reporterVisibility as 'shown' | 'none_given' | 'anonymous' | 'erased',
        history: events.map((event, index) => ({
          version: index.toString(),
          type: event.type,
          at: event.data.at,
          by: { role: event.data.by.role, nodeId: event.data.by.nodeId },
          data: visibleData(event),
        })),
      };
    },
  );

  routes.post(
    '/complaints/:complaintId/personal-data/erasure',
    {
      schema: {
        operationId: 'erasePersonalData',
        summary: 'Erase the reporter’s identity for good (Admin Nasional)',
        description:
          'Destroys the complaint’s data key: the sealed identity in the event log can never be opened again. ' +
          'The complaint itself, its history and its statistics stay.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        params: ComplaintParams,
        response: { 200: ErasureResult, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional']);
      const { state } = await loadReadable(context, request.params.complaintId, actor);
      const { erased } = await context.vault.erase(state.complaintId, actor.id);
      request.log.info({ complaintId: state.complaintId, erased }, 'personal data erased');
      return { complaintId: state.complaintId, erased, erasedAt: context.now() };
    },
  );

  routes.get(
    '/inbox',
    {
      schema: {
        operationId: 'getInbox',
        summary: 'The complaints of the caller’s node: held, copied to it, or below it',
        description: 'Newest first. Opening the inbox records when this node last looked (Terakhir Dilihat). The list may trail a write by a moment.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        querystring: InboxQuery,
        response: { 200: Inbox, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      const query = request.query;
      const tree = context.directory.tree;
      const relation = (summary: ComplaintSummary): 'holder' | 'tembusan' | 'below' | null => {
        if (summary.holderId === actor.nodeId) return 'holder';
        if (summary.tembusan.includes(actor.nodeId)) return 'tembusan';
        if (summary.handledBy.some((nodeId) => nodeId !== actor.nodeId && tree.isWithinScope(nodeId, actor.nodeId))) return 'below';
        return null;
      };
      const from = query.from ? Date.parse(query.from) : -Infinity;
      const to = query.to ? Date.parse(query.to) : Infinity;
      const matching = context.index
        .summaries()
        .flatMap((summary) => {
          const why = relation(summary);
          if (why === null) return [];
          if (query.status && summary.status !== query.status) return [];
          if (query.kind && summary.kind !== query.kind) return [];
          const received = Date.parse(summary.receivedAt);
          if (received < from || received >= to) return [];
          return [{ summary, why }];
        })
        .sort((a, b) => b.summary.receivedAt.localeCompare(a.summary.receivedAt));

      // Record this visit, then read the one before it (one event, however long the stream grows).
      const stream = unitActivityStream(actor.nodeId);
      const opened = await context.store.appendToStream(stream, [
        { id: randomUUID(), type: INBOX_OPENED, data: { nodeId: actor.nodeId, at: context.now(), by: actor.id } },
      ]);
      const lastSeen =
        opened.nextExpectedVersion > 0n
          ? (await context.store.readStream(stream, { fromVersion: opened.nextExpectedVersion - 1n, maxCount: 1 }))[0]
          : undefined;

      const start = (query.page - 1) * query.pageSize;
      return {
        nodeId: actor.nodeId,
        page: query.page,
        pageSize: query.pageSize,
        total: matching.length,
        lastSeenAt: (lastSeen?.data as { at?: string } | undefined)?.at ?? null,
        items: matching.slice(start, start + query.pageSize).map(({ summary, why }) => ({
          complaintId: summary.complaintId,
          trackingId: summary.trackingId,
          title: summary.title,
          kind: summary.kind,
          status: summary.status,
          relation: why,
          receivedAt: summary.receivedAt,
          updatedAt: summary.updatedAt,
          version: summary.version.toString(),
        })),
      };
    },
  );
}
