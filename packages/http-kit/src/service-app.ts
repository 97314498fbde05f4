import { AttachmentStore, openChunkStoreFromEnv } from '@lapor/attachment-store';
import { traceRequests } from './request-spans';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { OrganisationNode } from '@lapor/domain';
import { withOrigin, type EventStore } from '@lapor/event-store';
import type { SqlRunner } from '@lapor/sql';
import type { PersonalDataVault } from '@lapor/personal-data';
import { ComplaintRepository, OrganisationDirectory } from '@lapor/workflow';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_CHANGELOG, API_VERSION, documentRoute, documentWhole } from './openapi';
import { randomUUID } from 'node:crypto';
import { ApiKeys, StaffAccounts } from '@lapor/accounts';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, staffAuthentication, type StaffTokenRules } from './auth';
import { authentication } from './authenticate';
import { CallerVouching } from './vouched-caller';
import type { WorkflowContext } from './context';
import { healthRoutes, type ReadinessChecks } from './health';
import { idempotency } from './idempotency';
import { edgeErrorOptions, prepareEdgeErrors } from './edge-errors';
import { OneBudgetStore, rateLimitFields } from './public-budget';
import { loadShedding } from './load-shedding';
import { httpMetrics, instrumentedEventStore } from './metrics';
import { HttpProblem, isDatabaseUnavailable, problemHandlers } from './problem';
import { storableTextValidatorCompiler } from './storable-text';
import { trustProxyOptions, type TrustedProxies } from './trust-proxy';

/** Routes that answer without the organisation tree: how the process is, not what it serves. */
const WITHOUT_THE_TREE = new Set(['/health/live', '/health/ready', '/metrics']);

/** The public budget's window: so many requests a minute from one address. */
const PUBLIC_WINDOW_SECONDS = 60;

export type WorkflowPlugin = (app: FastifyInstance, options: { context: WorkflowContext }) => Promise<void>;

export interface ServiceAppOptions {
  readonly store: EventStore;
  /** The same database, for what is kept beside the events: idempotency records. */
  readonly db: SqlRunner;
  /** How long an Idempotency-Key's answer is kept for retries (default 24 h). */
  readonly idempotencyKeptForMs?: number;
  readonly vault: PersonalDataVault;
  /** Secret for staff tokens, the same in every service (they verify what the gateway signs). */
  readonly jwtSecret: string;
  /** How long a staff token lives (default 8 h), the same in every service: a token claiming longer is refused. */
  readonly tokenLifetimeSeconds?: number;
  readonly logger?: FastifyServerOptions['logger'];
  /** The API document's title and the tags its routes use. */
  readonly title: string;
  readonly tags: ReadonlyArray<{ name: string; description: string }>;
  /** Registered once, on a store without an organisation. */
  readonly seedOrganisation?: readonly OrganisationNode[];
  /** The clock commands carry (tests move it). */
  readonly now?: () => string;
  /** Requests per minute per client address on the public routes (default 30). */
  readonly publicRateLimit?: number;
  /** Addresses of proxies (the gateway, a load balancer) whose X-Forwarded-For names the real client. */
  readonly trustProxy?: TrustedProxies;
  /** Requests in progress at once; past it, 503 with Retry-After (liveness exempt). None: unbounded. */
  readonly maxInFlight?: number;
  /** The event loop's mean delay (ms) past which requests are answered 503 (liveness exempt). None: unbounded. */
  readonly maxEventLoopDelayMs?: number;
  /** What /health/ready checks besides the event store (the gateway: the services it forwards to). */
  readonly readiness?: ReadinessChecks;
  /** A service behind the gateway: callers the gateway vouches for are taken on its word, not checked twice (vouched-caller.ts). */
  readonly vouchedCallers?: boolean;
}

export interface ServiceApp {
  readonly app: FastifyInstance;
  readonly context: WorkflowContext;
  /** True when this start registered the organisation. */
  readonly seeded: boolean;
}

/** The edge of a workflow process: everything but the workflow context. */
export type ServiceEdgeOptions = Omit<ServiceAppOptions, 'vault' | 'seedOrganisation' | 'now'> & {
  /** The API keys the door verifies x-api-key against, once opened (none: every key is refused). */
  readonly apiKeys?: () => ApiKeys | undefined;
  /** The accounts and organisation the door checks staff tokens against, once opened (none: every token is refused). */
  readonly staffTokens?: () => StaffTokenRules | undefined;
};

/**
 * What every workflow process is made of, whether it runs one service or all of them (the
 * gateway's embedded mode): problem+json, staff tokens, Idempotency-Key, rate limits on public
 * routes, health, the API document, and the workflow context the service plugins work with.
 * Register the service plugins on the returned app.
 */
export async function buildServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  // the door verifies API keys and staff tokens once the context is open
  const opened: { context?: WorkflowContext } = {};
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const app = await buildServiceEdge({
    ...options,
    apiKeys: () => opened.context?.apiKeys,
    staffTokens: () => {
      const context = opened.context;
      return context && { accounts: context.staffAccounts, organisation: (nodeIds) => context.directory.knowing(nodeIds), lifetimeSeconds };
    },
  });
  // the workflow's appends are timed and their conflicts counted (/metrics)
  const { context, seeded } = await openWorkflowContext({ ...options, store: instrumentedEventStore(options.store) });
  opened.context = context;
  // the tree changes in whichever process an administrator reaches: every request here sees it within the bound
  // (not for the health routes and /metrics: they say whether the store answers, whatever it does)
  app.addHook('onRequest', async (request, reply) => {
    if (WITHOUT_THE_TREE.has(request.routeOptions.url ?? '')) return;
    try {
      await context.directory.fresh();
    } catch (error) {
      if (error instanceof Error && isDatabaseUnavailable(error)) throw error; // the problem handler's 503, as for any statement
      request.log.warn({ err: error }, 'the organisation could not be read from the event store');
      void reply.header('retry-after', '1');
      throw new HttpProblem(
        503,
        'service-unavailable',
        'Service Unavailable',
        'The event store does not answer just now; nothing was written. Retry in a moment.',
      );
    }
  });
  return { app, context, seeded };
}

/**
 * The workflow context on a store: the organisation (registered from `seedOrganisation` on a store
 * without one), the API keys, the staff accounts. Reads those streams, never the complaints' log:
 * no process holds complaints in memory, lists come from read models. Opening it is where a process
 * starts touching its store.
 */
export async function openWorkflowContext(
  options: Pick<ServiceAppOptions, 'store' | 'db' | 'vault' | 'seedOrganisation' | 'now'>,
): Promise<{ context: WorkflowContext; seeded: boolean }> {
  const { store } = options;
  const { directory, seeded } = await OrganisationDirectory.open(store, options.seedOrganisation ?? []);
  const context: WorkflowContext = {
    store,
    repository: new ComplaintRepository(store),
    directory,
    apiKeys: await ApiKeys.open(store),
    staffAccounts: (await StaffAccounts.open(store, [])).accounts,
    vault: options.vault,
    attachments: await AttachmentStore.open(options.db, await openChunkStoreFromEnv(options.db), options.vault),
    now: options.now ?? (() => new Date().toISOString()),
    newId: randomUUID,
  };
  return { context, seeded };
}

/**
 * The HTTP edge of a workflow process, with no workflow context yet: registering it touches no
 * store (idempotency and readiness read the database per request), so the API document is built on it
 * with nothing opened.
 */
export async function buildServiceEdge(options: ServiceEdgeOptions): Promise<FastifyInstance> {
  const { store } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    ...edgeErrorOptions(),
    ...trustProxyOptions(options.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();

  prepareEdgeErrors(app);
  traceRequests(app);
  // every event appended while answering carries the client's address (the audit trail's "from where"):
  // a callback hook, so the hooks and the handler after it run inside the request's scope
  app.addHook('onRequest', (request, _reply, done) => withOrigin({ clientAddress: request.ip }, done));
  app.setValidatorCompiler(storableTextValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(problemHandlers);
  // before load shedding: a shed request (503) is counted too
  await app.register(httpMetrics);
  // first of the request hooks: a shed request costs no rate-limit, token or idempotency work
  await app.register(loadShedding, {
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.maxEventLoopDelayMs ? { maxEventLoopDelayMs: options.maxEventLoopDelayMs } : {}),
  });
  const documentInfo = {
    title: options.title,
    version: API_VERSION,
    'x-changelog': API_CHANGELOG,
    description:
      'Public-service complaints (SP4N-LAPOR!): intake, verification, disposition, follow-up and statistics. ' +
      'Every POST takes an Idempotency-Key header: the same key and body from the same caller answer the first answer again ' +
      '(header idempotent-replayed: true) and write nothing; the same key with another body is 422; while the first runs, 409. ' +
      'Keys are per caller (staff account, API key, reporter secret); a caller with none of these must send a random UUID or ' +
      '22+ base64url characters, since knowing the key is what entitles it to the first answer.',
  };
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      // built apart: the changelog is an extension (x-) the swagger types do not list
      info: documentInfo,
      // relative: the document describes the server that serves it, wherever it is reached
      servers: [{ url: '/', description: 'the server serving this document' }],
      tags: [...options.tags, { name: 'operations', description: 'Health and readiness' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff: POST /auth/token' },
          reporterSecret: { type: 'apiKey', in: 'header', name: 'x-reporter-secret', description: 'Returned once when a citizen submits' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Integrating systems: issued by an admin (POST /api-keys)' },
        },
      },
    },
    transform: documentRoute,
    transformObject: documentWhole,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(staffAuthentication, {
    jwtSecret: options.jwtSecret,
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  // before anything reads, limits or records the request: see authenticate.ts
  await app.register(authentication, {
    apiKeys: options.apiKeys ?? (() => undefined),
    staffTokens: options.staffTokens ?? (() => undefined),
    ...(options.vouchedCallers ? { vouching: new CallerVouching(options.jwtSecret) } : {}),
  });
  // Public routes are open to anyone: each client address gets one budget across them (PUBLIC_BUDGET).
  // Staff and systems prove who they are at the door and are not counted.
  await app.register(fastifyRateLimit, {
    global: false,
    store: OneBudgetStore,
    max: options.publicRateLimit ?? 30,
    timeWindow: PUBLIC_WINDOW_SECONDS * 1000,
    errorResponseBuilder: (_request, limit) =>
      new HttpProblem(
        429,
        'rate-limited',
        'Too Many Requests',
        `At most ${limit.max} requests a minute from one address to the public routes, all together; retry after ${limit.after}.`,
      ),
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const fields = rateLimitFields(reply.getHeaders(), PUBLIC_WINDOW_SECONDS);
    if (fields) void reply.headers(fields);
    return payload;
  });
  await app.register(idempotency, {
    db: options.db,
    secret: options.jwtSecret,
    ...(options.idempotencyKeptForMs ? { keptForMs: options.idempotencyKeptForMs } : {}),
  });
  await app.register(healthRoutes, { store, ...(options.readiness ? { checks: options.readiness } : {}) });
  return app;
}
