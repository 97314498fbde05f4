import type { EventStore } from '@lapor/event-store';
import { LOG_START } from '@lapor/event-store';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

export async function healthRoutes(app: FastifyInstance, options: { store: EventStore }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/health/live',
    { schema: { operationId: 'getLiveness', summary: 'The process answers', tags: ['operations'], security: [], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );
  routes.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'The event store answers',
        tags: ['operations'],
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      try {
        await options.store.readGlobalLog(LOG_START, 1);
        return { status: 'ok' as const, checks: { eventStore: 'ok' } };
      } catch (error) {
        app.log.warn({ err: error }, 'readiness: event store does not answer');
        return reply.code(503).send({ status: 'unavailable' as const, checks: { eventStore: 'unavailable' } });
      }
    },
  );
}
