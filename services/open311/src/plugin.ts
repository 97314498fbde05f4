import { normaliseTrackingId, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { API_KEY_HEADER, commandIdOf, linkToNext, PAGED, provenCaller, PUBLIC_BUDGET, type WorkflowContext } from '@lapor/http-kit';
import { type ApiKey } from '@lapor/accounts';
import { isPubliclyVisible, submitComplaint } from '@lapor/submission';
import { complaintIdForTrackingId } from '@lapor/workflow';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { badRequest, Open311Error, Open311Errors, useOpen311Errors } from './errors';
import { submissionFromPost } from './from-post';
import { submissionNotice, toOpen311Request } from './mapping';
import { queryPublicListPage } from './public-list/query';
import type { Open311Request } from './schemas';
import {
  Discovery,
  FormatParams,
  JurisdictionQuery,
  PostRequestBody,
  RequestById,
  RequestCreated,
  RequestList,
  RequestParams,
  MAX_PAGE,
  RequestsQuery,
  ServiceDefinition,
  ServiceList,
  ServiceParams,
} from './schemas';
import { OPEN311_SERVICES, serviceFor } from './services';

export interface Open311Options {
  readonly context: WorkflowContext;
  /** The public list's read model (openPublicList), where GET requests.json pages are read. */
  readonly publicList: { readonly db: SqlQueryable };
}

const DAY_MS = 86_400_000;
const MAX_SPAN_DAYS = 90;
const MAX_IDS = 100;
const CHANGESET = '2026-11-23T00:00:00Z';
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, Open311Errors]));

/**
 * An Open311 GeoReport v2 facade (JSON), so civic-reporting apps can post to us and follow their
 * reports unchanged: our kinds are its services, a POST is a submission on the integration channel
 * with the app's API key (through intake's own submission), and requests are read by tracking id
 * with the public tracking page's rules: nothing about who reported, nothing confidential.
 */
export async function open311Routes(app: FastifyInstance, options: Open311Options): Promise<void> {
  const { context, publicList } = options;
  await app.register(
    async (scope) => {
      useOpen311Errors(scope);
      // GeoReport v2 posts are form-encoded; JSON is taken too.
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      registerRoutes(scope, context, publicList);
    },
    { prefix: '/open311' },
  );
}

function registerRoutes(scope: FastifyInstance, context: WorkflowContext, publicList: Open311Options['publicList']): void {
  /**
   * A civic app's server posts for many citizens from one address: a key that verifies (in the
   * api_key field, read once the body is parsed, or proven at the door in the header) is not counted
   * per address; a key that does not verify is counted like none.
   */
  const postBudget = {
    rateLimit: {
      hook: 'preHandler' as const,
      allowList: async (request: FastifyRequest): Promise<boolean> => {
        if (provenCaller(request)) return true;
        const fromBody = (request.body as { api_key?: unknown } | undefined)?.api_key;
        return typeof fromBody === 'string' && (await context.apiKeys.verify(fromBody.trim())) !== undefined;
      },
    },
  };
  const routes = scope.withTypeProvider<ZodTypeProvider>();
  const tree = () => context.directory.tree;

  /** A request as the public may read it, or null when there is none to show (unknown, or confidential). */
  const readPublic = async (rawId: string): Promise<Open311Request | null> => {
    const trackingId = normaliseTrackingId(rawId);
    if (!trackingId) return null;
    const loaded = await context.repository.load(complaintIdForTrackingId(trackingId));
    return isPubliclyVisible(loaded.state) ? toOpen311Request(loaded.state, loaded.events, tree()) : null;
  };

  routes.get(
    '/discovery.json',
    {
      config: PUBLIC_BUDGET,
      schema: {
        operationId: 'getOpen311Discovery',
        summary: 'Open311 service discovery: where the GeoReport v2 endpoint is',
        tags: ['open311'],
        security: [],
        response: { 200: Discovery, ...errors(429) },
      },
    },
    async (request) => ({
      changeset: CHANGESET,
      contact: 'Admin Nasional SP4N-LAPOR! (https://www.lapor.go.id)',
      key_service: 'API keys are issued by the administrator of your instansi (POST /api-keys, channel integration).',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${request.protocol}://${request.host}/open311/v2`,
          changeset: CHANGESET,
          type: 'production' as const,
          formats: ['application/json'],
        },
      ],
    }),
  );

  // Not paged: a fixed list (our kinds of report), as GeoReport v2 answers it.
  routes.get(
    '/v2/services.:format',
    {
      config: PUBLIC_BUDGET,
      schema: {
        operationId: 'listOpen311Services',
        summary: 'GeoReport v2: the services (our kinds of report)',
        description: 'Pengaduan, aspirasi and permintaan informasi. Whistle-blowing reports have their own confidential door and are not offered here.',
        tags: ['open311'],
        security: [],
        params: FormatParams,
        querystring: JurisdictionQuery,
        response: { 200: ServiceList, ...errors(400) },
      },
    },
    async () => [...OPEN311_SERVICES],
  );

  routes.get(
    '/v2/services/:service_code.:format',
    {
      config: PUBLIC_BUDGET,
      schema: {
        operationId: 'getOpen311ServiceDefinition',
        summary: 'GeoReport v2: a service’s definition (no extra attributes)',
        tags: ['open311'],
        security: [],
        params: ServiceParams,
        querystring: JurisdictionQuery,
        response: { 200: ServiceDefinition, ...errors(400, 404) },
      },
    },
    async (request) => {
      const service = serviceFor(request.params.service_code);
      if (!service) throw new Open311Error(404, [`service_code: ${request.params.service_code} is not offered here; GET services.json lists the codes.`]);
      return { service_code: service.service_code, attributes: [] };
    },
  );

  routes.post(
    '/v2/requests.:format',
    {
      config: postBudget,
      schema: {
        operationId: 'createOpen311Request',
        summary: 'GeoReport v2: report something (a complaint on the integration channel)',
        description:
          'Form-encoded or JSON. The app’s API key goes in the api_key field (or the x-api-key header), never in the URL. ' +
          'A place is required: lat and long, or address_string. The reporter’s name, e-mail and phone are sealed at once. ' +
          'Answers 200 with the service_request_id (our tracking id), as the specification shows.',
        tags: ['open311'],
        security: [{ apiKey: [] }, {}],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        params: FormatParams,
        body: PostRequestBody,
        response: { 200: RequestCreated, ...errors(400, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      if ((request.query as Record<string, unknown> | undefined)?.api_key !== undefined) {
        throw badRequest('api_key: send it in the request body or the x-api-key header, not in the URL (URLs end up in logs).');
      }
      const key = await keyOf(context, request, request.body.api_key);
      const addressedTo = addresseeOf(key, request.body.jurisdiction_id?.trim() || undefined, tree());
      const outcome = await submitComplaint(
        context,
        submissionFromPost(request.body, addressedTo),
        { role: 'system', actor: { role: 'integration', id: key.keyId, nodeId: key.instansiId }, key },
        { commandId: commandIdOf(request, context.newId), correlationId: request.id, idempotent: request.idempotency !== undefined },
      );
      // no external reference is sent here, so a submission is always new (or an Idempotency-Key replay)
      if (outcome.result === 'conflict') throw new Open311Error(409, [`${outcome.trackingId} exists with other content.`]);
      void reply.header('location', `/open311/v2/requests/${outcome.trackingId}.json`);
      // 200, not 201: the specification documents 200, and clients written against it check for it
      return reply.code(200).send([{ service_request_id: outcome.trackingId, service_notice: submissionNotice(outcome.trackingId), account_id: null }]);
    },
  );

  routes.get(
    '/v2/requests.:format',
    {
      schema: {
        operationId: 'listOpen311Requests',
        summary: 'GeoReport v2: requests, by ids or by service, status and dates',
        description:
          'Public, non-confidential complaints only, newest first, received within start_date..end_date (default: the last 90 days; ' +
          'at most 90 days). service_request_id overrides every other filter. Lists may trail a write by a moment. ' +
          'An anonymous complaint shows no address, and its lat/long rounded to 0.1° (about 11 km, a kecamatan).',
        tags: ['open311'],
        security: [],
        params: FormatParams,
        querystring: RequestsQuery,
        response: { 200: RequestList, ...errors(400) },
      },
      // GeoReport v2 answers a bare array and knows no cursor: pages stay numbered (page, page_size, as
      // other Open311 servers extend it), and the next one is in the Link header as on every other list
      config: { ...PUBLIC_BUDGET, ...PAGED },
    },
    async (request, reply) => {
      const query = request.query;
      if (query.service_request_id) {
        const ids = query.service_request_id.split(',');
        if (ids.length > MAX_IDS) throw badRequest(`service_request_id: at most ${MAX_IDS} ids at once.`);
        return (await inBatches(ids, readPublic)).filter((found): found is Open311Request => found !== null);
      }
      const codes = query.service_code?.split(',');
      const unknown = codes?.filter((code) => !serviceFor(code));
      if (unknown?.length) throw badRequest(`service_code: ${unknown.join(', ')} is not offered here; GET services.json lists the codes.`);
      const statuses = query.status?.split(',');
      const jurisdiction = query.jurisdiction_id;
      if (jurisdiction && !tree().has(jurisdiction)) throw badRequest(`jurisdiction_id: no instansi ${jurisdiction}.`);
      // one date given: the window runs 90 days from it (or to it); none: the last 90 days
      const span = MAX_SPAN_DAYS * DAY_MS;
      const end = query.end_date ? Date.parse(query.end_date) : query.start_date ? Date.parse(query.start_date) + span : Date.parse(context.now());
      const start = query.start_date ? Date.parse(query.start_date) : end - span;
      if (start > end) throw badRequest('start_date: after end_date.');
      if (end - start > span) throw badRequest(`start_date, end_date: at most ${MAX_SPAN_DAYS} days apart.`);

      const page = await queryPublicListPage(
        publicList.db,
        {
          ...(codes ? { serviceCodes: codes } : {}),
          ...(statuses ? { statuses } : {}),
          ...(jurisdiction && jurisdiction !== 'nasional' ? { instansiId: jurisdiction } : {}),
          receivedFrom: start,
          receivedTo: end,
        },
        query.page,
        query.page_size,
      );
      linkToNext(request, reply, page.more && query.page < MAX_PAGE ? { page: query.page + 1 } : null);
      // each read from its stream: the list may trail, the stream says what is true (and confidential) now
      return (
        await inBatches(
          page.entries.map((entry) => entry.trackingId),
          readPublic,
        )
      ).filter((found): found is Open311Request => found !== null);
    },
  );

  routes.get(
    '/v2/requests/:service_request_id.:format',
    {
      config: PUBLIC_BUDGET,
      schema: {
        operationId: 'getOpen311Request',
        summary: 'GeoReport v2: one request by its service_request_id (our tracking id)',
        description:
          'A confidential complaint is not shown (404), nor anything about who reported it; an anonymous one shows no address, and its lat/long ' +
          'rounded to 0.1° (about 11 km, a kecamatan). Answered as a list of one, as the specification does.',
        tags: ['open311'],
        security: [],
        params: RequestParams,
        querystring: JurisdictionQuery,
        response: { 200: RequestById, ...errors(400, 404) },
      },
    },
    async (request) => {
      const found = await readPublic(request.params.service_request_id);
      if (!found) throw new Open311Error(404, [`service_request_id: no public request ${request.params.service_request_id}.`]);
      return [found];
    },
  );
}

/** The integrating system behind the api_key field or the x-api-key header; 403 as Open311 answers a bad key. */
async function keyOf(context: WorkflowContext, request: FastifyRequest, fromBody: string | undefined): Promise<ApiKey> {
  const header = request.headers[API_KEY_HEADER];
  const presented = fromBody?.trim() || (typeof header === 'string' ? header : undefined);
  if (!presented) throw new Open311Error(403, ['api_key: required to submit; the administrator of your instansi issues one.']);
  const key = await context.apiKeys.verify(presented);
  if (!key) throw new Open311Error(403, ['api_key: unknown or revoked.']);
  return key;
}

/** Where a request goes: an agency's key to its own instansi; a national key to jurisdiction_id, or nasional. */
function addresseeOf(key: ApiKey, jurisdiction: string | undefined, tree: OrganisationTree): string {
  if (key.instansiId !== null) {
    if (jurisdiction && jurisdiction !== key.instansiId) throw new Open311Error(403, [`jurisdiction_id: this api_key submits to ${key.instansiId} only.`]);
    return key.instansiId;
  }
  if (jurisdiction === undefined) return 'nasional';
  const kind = tree.has(jurisdiction) ? tree.node(jurisdiction).kind : null;
  if (kind !== 'nasional' && kind !== 'instansi') throw badRequest(`jurisdiction_id: no instansi ${jurisdiction}.`);
  return jurisdiction;
}

/** Reads a page's requests a few at a time: enough to be quick, few enough to leave the pool to others. */
async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>, size = 16): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(read))));
  return results;
}
