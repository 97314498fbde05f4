import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { EventStore } from '@lapor/event-store';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { healthRoutes } from './health';
import { problemHandlers } from '@lapor/http-kit';

export interface GatewayOptions {
  readonly store: EventStore;
  readonly logger?: FastifyServerOptions['logger'];
}

/** The public entry: today health and the API document; the services mount here as plugins. */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
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
      servers: [{ url: 'http://localhost:3000' }],
      tags: [{ name: 'operations', description: 'Health and readiness' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, { store: options.store });
  return app;
}
