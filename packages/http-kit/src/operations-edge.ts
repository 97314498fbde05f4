import closeWithGrace from 'close-with-grace';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { edgeErrorOptions, prepareEdgeErrors } from './edge-errors';
import { httpMetrics } from './metrics';
import { problemHandlers } from './problem';
import { REDACTED_PATHS } from './run-alone';
import { traceFields } from '@lapor/tracing';
import { storableTextValidatorCompiler } from './storable-text';

// The HTTP edge of a process that serves no API, only the operators (the relay): the same Fastify,
// problem+json, JSON logs with the same redactions, health routes and graceful shutdown as every
// service, so an operator probes and stops it the same way.

export interface Readiness {
  readonly ready: boolean;
  /** What the readiness answer says besides its status (lag, the last error…). */
  readonly details: Record<string, unknown>;
}

export interface OperationsEdgeOptions {
  readonly name: string;
  readonly logLevel: string;
  /** Ready means whole: what this process counts as caught up. */
  readonly readiness: () => Readiness;
  /** Prometheus text exposition added to the process's own on /metrics. */
  readonly metrics: () => string;
}

export async function buildOperationsEdge(options: OperationsEdgeOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel, base: { service: options.name }, redact: REDACTED_PATHS, mixin: traceFields },
    ...edgeErrorOptions(),
  }).withTypeProvider<ZodTypeProvider>();
  prepareEdgeErrors(app);
  app.setValidatorCompiler(storableTextValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(problemHandlers);
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const { ready, details } = options.readiness();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', ...details });
  });
  // the process's own metrics (memory, event-loop delay, requests) and what `metrics` adds
  await app.register(httpMetrics, { extra: options.metrics });
  return app;
}

/**
 * Stops on SIGINT/SIGTERM (or an uncaught error) by running `steps` in order, each given up to the
 * grace period in all; what the process writes through is closed last by the caller's order.
 */
export function closeGracefully(app: FastifyInstance, steps: ReadonlyArray<() => Promise<unknown>>): void {
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    for (const step of steps) await step();
  });
}
