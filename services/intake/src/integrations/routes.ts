import { STATUS_LABELS } from '@lapor/domain';
import { appliedVersion } from '@lapor/consumer-kit';
import {
  ANSWERS_ETAG,
  badCursor,
  linkToNext,
  notFound,
  PAGED,
  Problem,
  readAfterWrite,
  requireIntegration,
  setVersion,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import { integrationScope, PUBLIC_EVENT_LABELS, TRACKING_ID_KEY_PURPOSE, trackingIdForExternalReference } from '@lapor/submission';
import { complaintIdForTrackingId } from '@lapor/workflow';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ExternalReferenceParams, SystemComplaint, SystemComplaintList, SystemComplaintsQuery } from '../schemas';
import { decodeSystemListCursor, encodeSystemListCursor, querySystemList, type SystemComplaintEntry } from './system-list/query';
import { SYSTEM_LIST_PROJECTION } from './system-list/tables';

export interface IntegrationOptions {
  readonly context: WorkflowContext;
  /** The systems' list read model (openSystemList), where GET /integrations/complaints pages are read. */
  readonly systemList: { readonly db: SqlQueryable };
}

const view = (complaint: SystemComplaintEntry): z.infer<typeof SystemComplaint> => ({
  externalReference: complaint.externalReference,
  trackingId: complaint.trackingId,
  complaintId: complaint.complaintId,
  kind: complaint.kind,
  status: complaint.status,
  statusLabel: STATUS_LABELS[complaint.status],
  receivedAt: complaint.receivedAt,
  lastChange: { at: complaint.lastChange.at, event: complaint.lastChange.type, label: PUBLIC_EVENT_LABELS[complaint.lastChange.type] ?? null },
  version: complaint.version.toString(),
});

/**
 * An integrating system reads back the complaints it sent, by its key: their tracking ids and
 * where they stand, never who reported them. An agency's systems share their instansi's complaints
 * (its keys may be rotated); a national system sees what its own key sent.
 */
export async function integrationRoutes(app: FastifyInstance, options: IntegrationOptions): Promise<void> {
  const { context, systemList } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/integrations/complaints',
    {
      schema: {
        operationId: 'listSystemComplaints',
        summary: 'The complaints this integrating system sent, with where each stands',
        description:
          'For the system behind the API key (an agency’s systems share their instansi’s list). Oldest change first; ' +
          'to follow changes, pass the last `lastChange.at` seen as `updatedSince`. The list is read from a read model that ' +
          'follows the event log, so a write may take a moment to show in it (GET /integrations/complaints/{externalReference} ' +
          'reads the complaint itself, and shows it at once; or send `readAfter` with a write’s complaint id and version). Never the reporter’s identity.',
        tags: ['intake'],
        security: [{ apiKey: [] }],
        querystring: SystemComplaintsQuery,
        response: { 200: SystemComplaintList, 400: Problem, 401: Problem, 503: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const { actor } = await requireIntegration(request, context.apiKeys);
      const query = request.query;
      if (query.readAfter) {
        await readAfterWrite(reply, {
          store: context.store,
          write: query.readAfter,
          appliedVersionOf: (complaintId) => appliedVersion(systemList.db, SYSTEM_LIST_PROJECTION, complaintId),
          list: 'The list',
        });
      }
      const after = query.cursor === undefined ? null : decodeSystemListCursor(query.cursor);
      if (query.cursor !== undefined && after === null) throw badCursor();
      const pageSize = query.limit ?? query.pageSize;
      const { total, items, next } = await querySystemList(
        systemList.db,
        {
          scope: integrationScope(actor)!,
          ...(query.status ? { status: query.status } : {}),
          ...(query.updatedSince ? { updatedSince: Date.parse(query.updatedSince) } : {}),
        },
        after === null ? { page: query.page } : { after },
        pageSize,
      );
      const nextCursor = next === null ? null : encodeSystemListCursor(next);
      // the next page is after this one's last key, however this one was reached
      linkToNext(request, reply, nextCursor === null ? null : { cursor: nextCursor }, ['page']);
      return { page: after === null ? query.page : 1, pageSize, total, items: items.map(view), nextCursor };
    },
  );

  routes.get(
    '/integrations/complaints/:externalReference',
    {
      config: ANSWERS_ETAG,
      schema: {
        operationId: 'getSystemComplaint',
        summary: 'The complaint this integrating system sent under its own reference',
        description: 'Encode a reference with slashes (a letter number) as %2F. Another system’s reference answers 404.',
        tags: ['intake'],
        security: [{ apiKey: [] }],
        params: ExternalReferenceParams,
        response: { 200: SystemComplaint, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const { actor } = await requireIntegration(request, context.apiKeys);
      const { externalReference } = request.params;
      const scope = integrationScope(actor)!;
      const trackingId = trackingIdForExternalReference(context.vault.derivedKey(TRACKING_ID_KEY_PURPOSE), scope, externalReference);
      const loaded = await context.repository.load(complaintIdForTrackingId(trackingId));
      const submitted = loaded.events[0];
      const last = loaded.events.at(-1);
      if (
        !loaded.state.submitted ||
        submitted?.type !== 'ComplaintSubmitted' ||
        integrationScope(submitted.data.by) !== scope ||
        submitted.data.externalReference !== externalReference ||
        !last
      ) {
        throw notFound('This system sent no complaint under this reference.');
      }
      const state = loaded.state;
      setVersion(reply, loaded.version ?? 0n);
      return view({
        complaintId: state.complaintId,
        trackingId: state.trackingId,
        externalReference,
        kind: state.kind,
        status: state.status,
        receivedAt: state.receivedAt,
        lastChange: { at: last.data.at, type: last.type },
        version: loaded.version ?? 0n,
      });
    },
  );
}
