import type { EventStore } from '@lapor/event-store';
import { LOG_START } from '@lapor/event-store';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nameSchemas } from './openapi';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });
const Liveness = Health.extend({});

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { GetLivenessAnswer: Liveness, GetReadinessAnswer: Health },
  {
    GetLivenessAnswer: { description: 'The process answers: always ok while it runs', examples: [{ status: 'ok' }] },
    GetReadinessAnswer: {
      description: 'Whether this process can serve now, and each check by name (the event store, the read models, the services forwarded to)',
      examples: [
        { status: 'ok', checks: { eventStore: 'ok', inbox: 'ok' } },
        { status: 'unavailable', checks: { eventStore: 'ok', inbox: 'unavailable' } },
      ],
    },
  },
);

/** Named checks /health/ready adds to the event store's; any 'unavailable' makes it answer 503. */
export type ReadinessChecks = () => Promise<Record<string, 'ok' | 'unavailable'>>;

export async function healthRoutes(app: FastifyInstance, options: { store: EventStore; checks?: ReadinessChecks }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const eventStoreCheck = async (): Promise<'ok' | 'unavailable'> => {
    try {
      await options.store.readGlobalLog(LOG_START, 1);
      return 'ok';
    } catch (error) {
      app.log.warn({ err: error }, 'readiness: event store does not answer');
      return 'unavailable';
    }
  };
  // a check that throws (a read model's position asked of a store that has gone) is not ready, never a 500
  const otherChecks = async (): Promise<Record<string, 'ok' | 'unavailable'>> => {
    try {
      return (await options.checks?.()) ?? {};
    } catch (error) {
      app.log.warn({ err: error }, 'readiness: a check failed');
      return { others: 'unavailable' };
    }
  };
  routes.get(
    '/health/live',
    { schema: { operationId: 'getLiveness', summary: 'The process answers', tags: ['operations'], security: [], response: { 200: Liveness } } },
    async () => ({ status: 'ok' as const }),
  );
  routes.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'The event store answers, each read model served here is within its bound of the log, and each service a distributed gateway forwards to',
        tags: ['operations'],
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [eventStore, others] = await Promise.all([eventStoreCheck(), otherChecks()]);
      const checks = { eventStore, ...others };
      if (Object.values(checks).every((state) => state === 'ok')) return { status: 'ok' as const, checks };
      app.log.warn({ checks }, 'readiness: not whole');
      // a balancer or a client polling readiness learns when to ask again
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ status: 'unavailable' as const, checks });
    },
  );
}
