import { notOpened, VOUCHED_CALLER_HEADER, type WorkflowContext, type WorkflowPlugin } from '@lapor/http-kit';
import { administrationRoutes, staffAdministrationRoutes } from '@lapor/administration';
import { attachmentRoutes } from '@lapor/attachments-service';
import { followUpRoutes } from '@lapor/follow-up';
import { intakeRoutes } from '@lapor/intake';
import { statisticsRoutes } from '@lapor/statistics-service';
import { schedulerRoutes } from '@lapor/scheduler';
import { receiverRouteOptions, webhookRoutes, type ReceiverRules } from '@lapor/webhooks';
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Forwarding } from './forwarding';
import { traceparentNow } from '@lapor/tracing';

const isMultipart = (request: FastifyRequest): boolean => (request.headers['content-type'] ?? '').startsWith('multipart/form-data');

/** Where each service listens, in distributed mode. */
export type ServiceUrls = Readonly<Record<string, string>>;

interface CollectedRoute {
  readonly method: RouteOptions['method'];
  readonly url: string;
  readonly schema: RouteOptions['schema'];
  readonly config: Record<string, unknown> | undefined;
}

/**
 * The routes a service plugin declares, with their schemas, read by registering it on a scratch
 * instance with nothing opened: registering a plugin touches no store or table, and a plugin that
 * did would throw here (see notOpened).
 */
async function routesOf(plugin: WorkflowPlugin): Promise<CollectedRoute[]> {
  const routes: CollectedRoute[] = [];
  const scratch = Fastify().withTypeProvider<ZodTypeProvider>();
  scratch.setValidatorCompiler(validatorCompiler);
  scratch.setSerializerCompiler(serializerCompiler);
  scratch.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    routes.push({ method: route.method, url: route.url, schema: route.schema, config: route.config as Record<string, unknown> | undefined });
  });
  await scratch.register(plugin, { context: notOpened<WorkflowContext>('the workflow context') });
  await scratch.ready();
  await scratch.close();
  return routes;
}

/** The administration service: the organisation tree, changed there and followed by every process. */
export const PROXIED_ADMINISTRATION = { name: 'administration', plugin: administrationRoutes } as const satisfies { name: string; plugin: WorkflowPlugin };

/** The attachments service: downloads of the files the workflow services stored. */
export const PROXIED_ATTACHMENTS = { name: 'attachments', plugin: attachmentRoutes } as const satisfies { name: string; plugin: WorkflowPlugin };
/** The administration service's staff accounts and audit trail, declared with the trail it follows in its own process. */
export const PROXIED_STAFF_ADMINISTRATION = {
  name: 'administration',
  plugin: (app, { context }) => staffAdministrationRoutes(app, { context, audit: notOpened('the audit trail') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** Intake forwarded: its routes declared with the systems' list read model it has in its own process. */
export const PROXIED_INTAKE = {
  name: 'intake',
  plugin: (app, { context }) => intakeRoutes(app, { context, systemList: notOpened('the systems’ list read model') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** Follow-up forwarded: its routes declared with the inbox read model it has in its own process. */
export const PROXIED_FOLLOW_UP = {
  name: 'follow-up',
  plugin: (app, { context }) => followUpRoutes(app, { context, inbox: notOpened('the inbox read model') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** The statistics service as the proxy reads its routes: its tables are the statistics service's own. */
export const PROXIED_STATISTICS = {
  name: 'statistics',
  plugin: (app, { context }) => statisticsRoutes(app, { context, db: notOpened('the statistics database') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** The scheduler service as the proxy reads its routes: the timers are the scheduler service's to plan and fire. */
export const PROXIED_SCHEDULER = {
  name: 'scheduler',
  plugin: (app, { context }) => schedulerRoutes(app, { context, db: notOpened('the scheduler database'), opened: notOpened('the scheduler') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/**
 * The webhook service as the proxy reads its routes: neither fed nor dispatching here. Its body
 * schema checks a receiver's URL at the door, so it is declared with the receivers' rules the
 * gateway was configured with, the same the routes served here would use.
 */
export const proxiedWebhooks = (receivers: ReceiverRules | undefined) =>
  ({
    name: 'webhooks',
    plugin: (app, { context }) =>
      webhookRoutes(app, {
        context,
        db: notOpened('the webhooks database'),
        opened: notOpened('the webhooks service'),
        ...receiverRouteOptions(receivers),
      }),
  }) as const satisfies { name: string; plugin: WorkflowPlugin };

/**
 * Distributed mode: each service's routes are declared here with the service's own schemas (so
 * /openapi.json and /docs show the whole API and bad input is refused at the door) and forwarded to
 * the service by URL. Per route, not per prefix: several services share `/complaints/…`, which a
 * prefix proxy (`@fastify/http-proxy`) cannot split; `@fastify/reply-from` is what it is built on.
 * A service that does not answer is answered for (see forwarding.ts).
 */
export async function proxyServices(
  app: FastifyInstance,
  services: ReadonlyArray<{ name: string; plugin: WorkflowPlugin }>,
  forwarding: Forwarding,
): Promise<void> {
  // called once for the workflow services and once more each for statistics and the scheduler, which have a choice of their own
  if (!app.hasReplyDecorator('from')) {
    const { connectTimeoutMs, timeoutMs } = forwarding.config;
    // loaded here, with undici under it (some 130 modules), by a gateway that forwards: an embedded one never does
    const { default: fastifyReplyFrom } = await import('@fastify/reply-from');
    await app.register(fastifyReplyFrom, {
      undici: { connections: 64, pipelining: 1, connect: { timeout: connectTimeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
    });
  }
  // A command with files (multipart) goes through unread: the service streams the files into its
  // store as they come; the gateway neither holds them nor can validate the JSON inside (the service does).
  if (!app.hasContentTypeParser('multipart/form-data')) app.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));
  for (const { name, plugin } of services) {
    const target = forwarding.target(name);
    for (const route of await routesOf(plugin)) {
      app.route({
        method: route.method,
        url: route.url,
        schema: route.schema,
        config: { ...route.config, proxied: true },
        attachValidation: true,
        handler: (request, reply) => {
          if (request.validationError && !isMultipart(request)) throw request.validationError;
          if (!target.breaker.allow()) return forwarding.refuse(target, reply);
          // the service's server span continues this request's (a client's own traceparent is replaced)
          const traceparent = traceparentNow();
          // the caller this door proved, vouched for so the service takes it as proved (no client's vouch passes through)
          const vouch = request.caller && forwarding.vouching?.vouch(request.caller, { method: request.method, url: request.url });
          return reply.from(`${target.base}${request.url}`, {
            // the service's rate limit must see the citizen, not the gateway
            rewriteRequestHeaders: (_request, { [VOUCHED_CALLER_HEADER]: _clients, ...headers }) => ({
              ...headers,
              'x-forwarded-for': request.ip,
              ...(traceparent ? { traceparent } : {}),
              ...(vouch ? { [VOUCHED_CALLER_HEADER]: vouch } : {}),
            }),
            // any answer, 5xx included, shows the service is there; only no answer counts against it
            onResponse: (_request, _reply, response) => {
              target.breaker.succeeded();
              void reply.send(response.stream);
            },
            onError: (_reply, { error }) => void forwarding.failed(target, reply, error),
          });
        },
      });
    }
  }
}
