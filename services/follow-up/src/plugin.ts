import { appliedVersion } from '@lapor/consumer-kit';
import { publicEventData, STATUS_LABELS, type Complaint } from '@lapor/domain';
import {
  ANSWERS_ETAG,
  badCursor,
  linkToNext,
  PAGED,
  acceptUploads,
  CommandAccepted,
  ComplaintParams,
  invalidField,
  loadReadable,
  Problem,
  readAfterWrite,
  requireStaff,
  runStaffCommand,
  setVersion,
  withUploads,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countInbox, decodeCursor, INBOX_COUNTED_UP_TO, INBOX_SEARCH_COUNTED_UP_TO, queryInboxPage, searchScopeOf, type InboxFilter } from './inbox/query';
import { INBOX_PROJECTION } from './inbox/tables';
import { visitInbox } from './inbox/visits';
import { accessLogRoutes } from './access-log/routes';
import { recordIdentityAccess } from './access-log/record';
import { ComplaintDetail, DetailQuery, ErasureBody, ErasureResult, FollowUpBody, Inbox, InboxQuery } from './schemas';

/** Admins read an identity for a reason they give; a liaison reads it to do the job it was given. */
const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin_nasional', 'admin_instansi']);

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Event data as staff may see it: the sealed identity and the reporter's reference stay out. */

/** Follow-up: what a unit does with what it was given, its inbox, and a complaint's whole history. */
export async function followUpRoutes(app: FastifyInstance, options: { context: WorkflowContext; inbox: { readonly db: SqlQueryable } }): Promise<void> {
  const { context, inbox } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  await acceptUploads(app);
  await app.register(accessLogRoutes, { context });

  routes.post(
    '/complaints/:complaintId/follow-ups',
    {
      schema: {
        operationId: 'postFollowUp',
        summary: 'Tindak lanjut by the liaison of the unit the complaint was disposed to',
        description:
          'Files come with it as `multipart/form-data`: first the field `command` holding this JSON body, then the files (as for a submission). ' +
          'They are the institution’s record: sealed under a key of the deployment, kept when the reporter’s personal data is erased.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        params: ComplaintParams,
        body: FollowUpBody,
        response: { 200: CommandAccepted, ...problems, 410: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ['liaison']);
      const { complaintId } = request.params;
      // the scope first: nothing is stored for a complaint the liaison cannot see
      const readable = await loadReadable(context, complaintId, actor);
      // a unit's documents are the institution's answer, not the reporter's data: kept through an erasure
      return withUploads(context, request, { complaintId, sealedUnder: 'deployment', stripGps: false }, (attachments) =>
        // decided on as read for the scope, unless files took their time coming in: then as it is now
        runStaffCommand(context, request, reply, actor, attachments.length === 0 ? readable : complaintId, (complaint) => ({
          type: 'PostFollowUp',
          data: { complaintId: complaint.complaintId, followUpId: context.newId(), message: request.body.message, attachments },
        })),
      );
    },
  );

  routes.get(
    '/complaints/:complaintId',
    {
      config: ANSWERS_ETAG,
      schema: {
        operationId: 'getComplaint',
        summary: 'A complaint with its whole history, for staff who can see it',
        description:
          'Staff see a complaint that came in, passed through, or was copied to their node or a node below it. ' +
          'The reporter’s identity, unless anonymous, is shown to them, and each showing is recorded (GET /personal-data/access-log): ' +
          'an admin gives the `reason`, else 400.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        params: ComplaintParams,
        querystring: DetailQuery,
        response: { 200: ComplaintDetail, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { state, events, version } = await loadReadable(context, request.params.complaintId, actor);
      setVersion(reply, version!);
      const submitted = events[0]?.type === 'ComplaintSubmitted' ? events[0].data : undefined;
      const sealed = submitted?.reporter ?? null;
      // An anonymous complaint's identity is kept sealed from everyone who handles it.
      const opening = sealed && !state.anonymous;
      const reason = request.query.reason ?? null;
      if (opening && reason === null && ADMIN_ROLES.has(actor.role))
        throw invalidField('querystring.reason', ['an admin says why the reporter’s identity is read']);
      const identity = opening ? await context.vault.open(state.complaintId, sealed) : null;
      if (identity) await recordIdentityAccess(context.store, { complaintId: state.complaintId, purpose: 'detail_view', reason, by: actor, at: context.now() });
      const reporterVisibility = !sealed ? 'none_given' : state.anonymous ? 'anonymous' : identity ? 'shown' : 'erased';
      return {
        complaintId: state.complaintId,
        trackingId: state.trackingId,
        kind: state.kind,
        channel: state.channel,
        status: state.status,
        statusLabel: STATUS_LABELS[state.status],
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
          data: publicEventData(event),
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
        body: ErasureBody,
        response: { 200: ErasureResult, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional']);
      const { state } = await loadReadable(context, request.params.complaintId, actor);
      const at = context.now();
      await recordIdentityAccess(context.store, { complaintId: state.complaintId, purpose: 'erasure', reason: request.body.reason, by: actor, at });
      const { erased } = await context.vault.erase(state.complaintId, actor.id);
      request.log.info({ complaintId: state.complaintId, erased }, 'personal data erased');
      return { complaintId: state.complaintId, erased, erasedAt: at };
    },
  );

  routes.get(
    '/inbox',
    {
      schema: {
        operationId: 'getInbox',
        summary: 'The complaints of the caller’s node: held, copied to it, or below it',
        description:
          'Newest first. `q` searches the title and description in Bahasa Indonesia (stemmed: "jalan berlubang" finds "lubang di jalan"), ' +
          'a part of a tracking id, or a title word typed with a typo, within what this node sees; never the reporter’s identity. ' +
          'Opening its first page records when this node last looked (Terakhir Dilihat, kept to 5 minutes: paging and refreshing record nothing more). ' +
          'The list may trail a write by a moment: send `readAfter` with a write’s complaint id and version to see it.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        querystring: InboxQuery,
        response: { 200: Inbox, 400: Problem, 401: Problem, 403: Problem, 503: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const query = request.query;
      if (query.readAfter) {
        await readAfterWrite(reply, {
          store: context.store,
          write: query.readAfter,
          appliedVersionOf: (complaintId) => appliedVersion(inbox.db, INBOX_PROJECTION, complaintId),
          list: 'The inbox',
        });
      }
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
      if (query.cursor !== undefined && cursor === null) throw badCursor();
      const pageSize = query.limit ?? query.pageSize;
      const filter: InboxFilter = {
        ...(query.status ? { status: query.status } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.q ? { search: query.q } : {}),
        // a date alone is midnight UTC, as Date.parse reads it
        ...(query.from ? { from: new Date(Date.parse(query.from)).toISOString() } : {}),
        ...(query.to ? { to: new Date(Date.parse(query.to)).toISOString() } : {}),
      };
      const scope = searchScopeOf(context.directory.tree.has(actor.nodeId) ? context.directory.tree.node(actor.nodeId).kind : undefined);
      const [page, counted] = await Promise.all([
        queryInboxPage(inbox.db, actor.nodeId, filter, cursor, pageSize, scope),
        countInbox(inbox.db, actor.nodeId, filter, filter.search ? INBOX_SEARCH_COUNTED_UP_TO : INBOX_COUNTED_UP_TO, scope),
      ]);

      const lastSeenAt = await visitInbox(context.store, { nodeId: actor.nodeId, by: actor.id, at: context.now(), firstPage: cursor === null });

      linkToNext(request, reply, page.nextCursor === null ? null : { cursor: page.nextCursor });
      return {
        nodeId: actor.nodeId,
        pageSize,
        total: counted.total,
        totalExact: counted.exact,
        nextCursor: page.nextCursor,
        lastSeenAt,
        items: page.items.map((item) => ({
          ...item,
          kind: item.kind as Complaint['kind'],
          status: item.status as Complaint['status'],
          statusLabel: STATUS_LABELS[item.status as Complaint['status']],
          version: item.version.toString(),
        })),
      };
    },
  );
}
