import { Channel } from '@lapor/domain';
import {
  forbidden,
  linkToNext,
  nameSchemas,
  notFound,
  PAGED,
  pageByKey,
  pageCursor,
  pageLimit,
  Problem,
  requireStaff,
  type StaffActor,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const SYSTEM_CHANNELS = Channel.extract(['integration', 'sms_1708', 'email', 'social_media']);
const IssueBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The instansi the system belongs to; omitted (Admin Nasional only) for a national gateway such as SMS 1708. */
  instansiId: z.string().min(1).max(100).optional(),
  channels: z.array(SYSTEM_CHANNELS).min(1).max(4),
});
const ApiKeyView = z.object({
  keyId: z.string(),
  name: z.string(),
  instansiId: z.string().nullable(),
  channels: z.array(Channel),
  issuedBy: z.string(),
  at: z.string(),
  revoked: z.boolean(),
});
const Issued = z.object({ key: z.string(), apiKey: ApiKeyView });
const KeyParams = z.strictObject({ keyId: z.string().regex(/^[0-9a-f]{32}$/) });
const ApiKeyList = z.array(ApiKeyView);
// The answer is the array it always was, so the next page is in the Link header alone.
const ListQuery = z.strictObject({ limit: pageLimit(200, 100), cursor: pageCursor.optional() });

const API_KEY_EXAMPLE = {
  keyId: '3f1c2b9e8a4d4e6f9b1a2c3d4e5f6a7b',
  name: 'SIMPEL Pemprov NTT',
  instansiId: 'pemprov-ntt',
  channels: ['integration'],
  issuedBy: 'admin.ntt',
  at: '2026-11-20T01:15:00.000Z',
  revoked: false,
};

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { ApiKeyRequest: IssueBody, ApiKey: ApiKeyView, ApiKeyIssued: Issued, ApiKeyList },
  {
    ApiKeyRequest: {
      description: 'An API key for an integrating system: its name, instansi and the channels it may submit on',
      examples: [{ name: 'SIMPEL Pemprov NTT', instansiId: 'pemprov-ntt', channels: ['integration'] }],
    },
    ApiKey: { description: 'An API key as admins see it: what it may do, never its secret', examples: [API_KEY_EXAMPLE] },
    ApiKeyList: {
      description: 'The API keys an admin may manage, oldest first; the next page is in the Link header',
      examples: [
        [
          API_KEY_EXAMPLE,
          {
            ...API_KEY_EXAMPLE,
            keyId: '9a8b7c6d5e4f40312a1b2c3d4e5f6a7b',
            name: 'Aplikasi Kelurahan Oebufu (uji coba)',
            at: '2026-11-27T06:00:00.000Z',
            revoked: true,
          },
        ],
      ],
    },
    ApiKeyIssued: {
      description: 'The new key (shown this once: store it now) and what it may do',
      examples: [{ key: 'lapor_3f1c2b9e8a4d4e6f9b1a2c3d4e5f6a7b.q7Zs0Jm2vT9xYkR4aB1cD3eF', apiKey: API_KEY_EXAMPLE }],
    },
  },
);
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem };

/** Admins issue and revoke the API keys of integrating systems: Admin Nasional any, Admin Instansi its own. */
export async function apiKeyRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['auth'], security: [{ bearer: [] }] };
  /** The key when the admin manages it: Admin Nasional any, an instansi admin its own; 404 alike for "absent" and "not yours". */
  const manageable = (actor: StaffActor, keyId: string) => {
    const key = context.apiKeys.list().find((candidate) => candidate.keyId === keyId);
    if (!key || (actor.role === 'admin_instansi' && key.instansiId !== actor.nodeId)) throw notFound(`No API key ${keyId} that you manage.`);
    return key;
  };

  routes.post(
    '/api-keys',
    {
      schema: {
        ...common,
        operationId: 'issueApiKey',
        summary: 'Issue an API key for an integrating system (the key is shown once)',
        body: IssueBody,
        response: { 201: Issued, ...problems },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
      const instansiId = request.body.instansiId ?? null;
      if (actor.role === 'admin_instansi' && instansiId !== actor.nodeId) throw forbidden('An Admin Instansi issues keys for its own instansi only.');
      const tree = context.directory.tree;
      if (instansiId !== null && !(tree.has(instansiId) && tree.node(instansiId).kind === 'instansi')) {
        throw notFound(`body.instansiId: no instansi ${instansiId}`);
      }
      const issued = await context.apiKeys.issue({
        name: request.body.name,
        instansiId,
        channels: request.body.channels,
        issuedBy: actor.id,
        at: context.now(),
      });
      // the key's read (GET /api-keys/{keyId}) never shows its secret: that is in this answer alone
      return reply.code(201).header('location', `/api-keys/${issued.apiKey.keyId}`).send(issued);
    },
  );

  routes.get(
    '/api-keys',
    {
      schema: {
        ...common,
        operationId: 'listApiKeys',
        summary: 'The API keys an admin can see (never the secrets)',
        description: 'Oldest first, `limit` at a time; when there are more, the Link header (rel="next") is the next page.',
        querystring: ListQuery,
        response: { 200: ApiKeyList, 400: Problem, 401: Problem, 403: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
      const visible = context.apiKeys.list().filter((key) => actor.role === 'admin_nasional' || key.instansiId === actor.nodeId);
      const page = pageByKey(visible, (key) => `${key.at} ${key.keyId}`, request.query);
      linkToNext(request, reply, page.nextCursor === null ? null : { cursor: page.nextCursor });
      return page.items;
    },
  );

  routes.get(
    '/api-keys/:keyId',
    {
      schema: {
        ...common,
        operationId: 'getApiKey',
        summary: 'One API key an admin can see, as the list shows it (never the secret)',
        description: 'Where POST /api-keys says the new key is (its Location). A key of another instansi is 404, as one that does not exist.',
        params: KeyParams,
        response: { 200: ApiKeyView, ...problems },
      },
    },
    async (request) => manageable(await requireStaff(request, ['admin_nasional', 'admin_instansi']), request.params.keyId),
  );

  routes.post(
    '/api-keys/:keyId/revocation',
    { schema: { ...common, operationId: 'revokeApiKey', summary: 'Revoke an API key at once', params: KeyParams, response: { 200: ApiKeyView, ...problems } } },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
      const key = manageable(actor, request.params.keyId);
      await context.apiKeys.revoke(key.keyId, actor.id, context.now());
      return { ...key, revoked: true };
    },
  );
}
