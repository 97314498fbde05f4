import fastifyReplyFrom from '@fastify/reply-from';
import type { EventStore } from '@lapor/event-store';
import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext, WorkflowPlugin } from '@lapor/http-kit';
import { statisticsRoutes } from '@lapor/statistics-service';
// by path: @lapor/scheduler is not a dependency of the gateway yet (gateway/package.json)
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
 * instance. Its context is never touched: plugins use it only when a request comes.
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
  await scratch.register(plugin, { context: {} as WorkflowContext });
  await scratch.ready();
  await scratch.close();
  return routes;
}

/** A database that answers every statement with nothing; see PROXIED_STATISTICS. */
const NO_DATABASE: SqlRunner = {
  query: async () => [],
  exec: async () => undefined,
  transaction: async (fn) => fn(NO_DATABASE),
  listen: async () => async () => undefined,
  close: async () => undefined,
};

/**
 * The statistics service as the proxy reads its routes. Its plugin prepares its tables when
 * registered, so it is given a database that does nothing: the tables are the statistics service's
 * own business, and the gateway needs no database for them.
 */
export const PROXIED_STATISTICS = {
  name: 'statistics',
  plugin: (app, { context }) => statisticsRoutes(app, { context, db: NO_DATABASE, feed: 'external' }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** An event store with no events, for what the scheduler reads when registered; see PROXIED_SCHEDULER. */
const NO_EVENTS: Pick<EventStore, 'readLatest' | 'readStream'> = { readLatest: async () => [], readStream: async () => [] };

/**
 * The scheduler service as the proxy reads its routes: like statistics, on a database that does
 * nothing, and it reads its policy and calendar streams when registered, so on a store that has none.
 * It neither follows the log nor sweeps: the timers are the scheduler service's to plan and fire.
 */
export const PROXIED_SCHEDULER = {
  name: 'scheduler',
  plugin: (app, { context }) =>
    schedulerRoutes(app, { context: { ...context, store: NO_EVENTS as EventStore }, db: NO_DATABASE, feed: 'external', sweep: false }),
} as const satisfies { name: string; plugin: WorkflowPlugin };

/** The webhook service as the proxy reads its routes: neither fed nor dispatching here. */
export const PROXIED_WEBHOOKS = {
  name: 'webhooks',
  plugin: (app, { context }) =>
    webhookRoutes(app, { context: { ...context, store: NO_EVENTS as EventStore }, db: NO_DATABASE, feed: 'external', dispatch: false }),
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
