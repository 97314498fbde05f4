import fastifySwagger from '@fastify/swagger';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { dispositionRoutes } from '@lapor/disposition';
import type { OrganisationNode } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { followUpRoutes } from '@lapor/follow-up';
import { HttpProblem, idempotency, problemHandlers, staffAuthentication, StaffAccounts, type NewStaffAccount, type WorkflowContext } from '@lapor/http-kit';
import { intakeRoutes } from '@lapor/intake';
import { verificationRoutes } from '@lapor/verification';
import { ComplaintIndex, ComplaintRepository, OrganisationDirectory } from '@lapor/workflow';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { authRoutes } from './auth-routes';
import { healthRoutes } from './health';

export interface GatewayOptions {
  readonly store: EventStore;
  readonly logger?: FastifyServerOptions['logger'];
  /** Secret for staff tokens. */
  readonly jwtSecret: string;
  /** Registered once, on a store without an organisation. */
  readonly seedOrganisation?: readonly OrganisationNode[];
  readonly seedAccounts?: readonly NewStaffAccount[];
  /** The clock commands carry (tests move it). */
  readonly now?: () => string;
  /** Requests per minute per client address on the public routes (default 30). */
  readonly publicRateLimit?: number;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly context: WorkflowContext;
  /** True when this start registered the demo organisation and accounts. */
  readonly seeded: boolean;
}

/**
 * The public entry in embedded mode: one process, the service plugins mounted side by side on one
 * store. Each plugin takes only the context, so a service can also run alone behind a proxy.
 */
export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { store } = options;
  const { directory, seeded: organisationSeeded } = await OrganisationDirectory.open(store, options.seedOrganisation ?? []);
  const { accounts, seeded: accountsSeeded } = await StaffAccounts.open(store, options.seedAccounts ?? []);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  const index = new ComplaintIndex();
  index.start(store, (error) => app.log.error({ err: error }, 'complaint index: reading the event log failed; retrying'));
  app.addHook('onClose', () => index.stop());
  const context: WorkflowContext = {
    store,
    repository: new ComplaintRepository(store),
    directory,
    index,
    now: options.now ?? (() => new Date().toISOString()),
    newId: randomUUID,
  };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(problemHandlers);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SP4N-LAPOR! complaint API',
        version: '0.1.0',
        description: 'Public-service complaints: intake, verification, disposition, follow-up and statistics.',
      },
      servers: [{ url: 'http://localhost:3000', description: 'the embedded default (pnpm start)' }],
      tags: [
        { name: 'intake', description: 'Complaints in, public tracking, the reporter’s own actions' },
        { name: 'verification', description: 'Verifikasi, Tunda, Arsipkan, answering aspirations' },
        { name: 'disposition', description: 'Disposisi down the tree, Bukan Wewenang up it' },
        { name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' },
        { name: 'auth', description: 'Staff sign-in' },
        { name: 'operations', description: 'Health and readiness' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff: POST /auth/token' },
          reporterSecret: { type: 'apiKey', in: 'header', name: 'x-reporter-secret', description: 'Returned once when a citizen submits' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(staffAuthentication, { jwtSecret: options.jwtSecret });
  // Public routes are open to anyone: each client address gets a budget. Staff and systems sign in.
  await app.register(fastifyRateLimit, {
    global: false,
    max: options.publicRateLimit ?? 30,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'rate-limited', 'Too Many Requests', `At most ${context.max} requests a minute from one address here; retry after ${context.after}.`),
  });
  await app.register(idempotency, { store, secret: options.jwtSecret });
  await app.register(healthRoutes, { store });
  await app.register(authRoutes, { accounts });
  await app.register(intakeRoutes, { context });
  await app.register(verificationRoutes, { context });
  await app.register(dispositionRoutes, { context });
  await app.register(followUpRoutes, { context });
  return { app, context, seeded: organisationSeeded || accountsSeeded };
}
