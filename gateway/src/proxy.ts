import fastifyReplyFrom from '@fastify/reply-from';
import { notOpened, type WorkflowContext, type WorkflowPlugin } from '@lapor/http-kit';
import { statisticsRoutes } from '@lapor/statistics-service';
import { schedulerRoutes } from '@lapor/scheduler';
import { webhookRoutes } from '@lapor/webhooks';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

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

/** The webhook service as the proxy reads its routes: neither fed nor dispatching here. */
export const PROXIED_WEBHOOKS = {
  name: 'webhooks',
  plugin: (app, { context }) => webhookRoutes(app, { context, db: notOpened('the webhooks database'), opened: notOpened('the webhooks service') }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/**
 * Distributed mode: each service's routes are declared here with the service's own schemas (so
 * /openapi.json and /docs show the whole API and bad input is refused at the door) and forwarded to
 * the service by URL. Per route, not per prefix: several services share `/complaints/…`, which a
 * prefix proxy (`@fastify/http-proxy`) cannot split; `@fastify/reply-from` is what it is built on.
 */
export async function proxyServices(app: FastifyInstance, services: ReadonlyArray<{ name: string; plugin: WorkflowPlugin }>, urls: ServiceUrls): Promise<void> {
  // called once for the workflow services and once more each for statistics and the scheduler, which have a choice of their own
  if (!app.hasReplyDecorator('from')) {
    await app.register(fastifyReplyFrom, {
      undici: { connections: 64, pipelining: 1 },
    });
  }
  for (const { name, plugin } of services) {
    const base = urls[name];
    if (!base) throw new Error(`distributed mode: no URL for the ${name} service`);
    for (const route of await routesOf(plugin)) {
      app.route({
        method: route.method,
        url: route.url,
        schema: route.schema,
        config: { ...route.config, proxied: true },
        handler: (request, reply) =>
          reply.from(`${base}${request.url}`, {
            // the service's rate limit must see the citizen, not the gateway
            rewriteRequestHeaders: (_request, headers) => ({ ...headers, 'x-forwarded-for': request.ip }),
          }),
      });
    }
  }
}
