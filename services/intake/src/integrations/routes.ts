import { STATUS_LABELS } from '@lapor/domain';
import { notFound, Problem, requireIntegration, type WorkflowContext } from '@lapor/http-kit';
import { integrationScope, PUBLIC_EVENT_LABELS, TRACKING_ID_KEY_PURPOSE, trackingIdForExternalReference } from '@lapor/submission';
import { complaintIdForTrackingId } from '@lapor/workflow';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ExternalReferenceParams, SystemComplaint, SystemComplaintList, SystemComplaintsQuery } from '../schemas';
import { SystemComplaints, type SystemComplaint as Listed } from './submitted-by-systems';

const view = (complaint: Listed): z.infer<typeof SystemComplaint> => ({
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
export async function integrationRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // Made at the first request: a plugin touches its context only when a request comes (the
  // gateway registers it on an empty context to read its routes).
  let systems: SystemComplaints | undefined;

  routes.get(
    '/integrations/complaints',
    {
      schema: {
        operationId: 'listSystemComplaints',
        summary: 'The complaints this integrating system sent, with where each stands',
        description:
          'For the system behind the API key (an agency’s systems share their instansi’s list). Oldest change first; ' +
          'to follow changes, pass the last `lastChange.at` seen as `updatedSince`. The list may trail a write by a moment ' +
          '(GET /integrations/complaints/{externalReference} does not). Never the reporter’s identity.',
        tags: ['intake'],
        security: [{ apiKey: [] }],
        querystring: SystemComplaintsQuery,
        response: { 200: SystemComplaintList, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const { actor } = await requireIntegration(request, context.apiKeys);
      const query = request.query;
      systems ??= new SystemComplaints(context.store);
      await systems.catchUp();
      const since = query.updatedSince ? Date.parse(query.updatedSince) : -Infinity;
      const matching = systems
        .of(integrationScope(actor)!)
        .filter((complaint) => (!query.status || complaint.status === query.status) && Date.parse(complaint.lastChange.at) >= since)
        .sort((a, b) => Date.parse(a.lastChange.at) - Date.parse(b.lastChange.at) || a.complaintId.localeCompare(b.complaintId));
      const start = (query.page - 1) * query.pageSize;
      return { page: query.page, pageSize: query.pageSize, total: matching.length, items: matching.slice(start, start + query.pageSize).map(view) };
    },
  );

  routes.get(
    '/integrations/complaints/:externalReference',
    {
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
    async (request) => {
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
