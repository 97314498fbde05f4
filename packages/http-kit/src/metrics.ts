import type { AppendResult, EventStore, EventToAppend, ExpectedVersion } from '@lapor/event-store';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { counter, exposition, histogram, METRIC, startProcessMetrics } from '@lapor/metrics';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Latency buckets from a cached read (a few ms) to a request near the gateway's forwarding timeout.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const requests = () =>
  histogram(
    METRIC.httpRequestDuration,
    'HTTP requests by method, route template and status code, in seconds.',
    ['method', 'route', 'status_code'],
    HTTP_BUCKETS,
  );

/**
 * GET /metrics (Prometheus text) and a latency histogram of every request by route template. The
 * route is the template Fastify matched (`/complaints/:id`), or `unmatched`: a raw URL would make
 * a series per complaint. /metrics itself is not counted.
 */
export const httpMetrics = fp(
  async (app: FastifyInstance, options: { extra?: () => string }) => {
    startProcessMetrics();
    const observed = requests();
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      observed.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const { contentType, body } = await exposition(options.extra?.() ?? '');
      return reply.type(contentType).send(body);
    });
  },
  { name: 'lapor-http-metrics' },
);

/**
 * The store with each append timed and each version conflict counted: a rise in conflicts is
 * callers racing each other (409s), a rise in latency is the database.
 */
export function instrumentedEventStore(store: EventStore): EventStore {
  const appends = histogram(METRIC.appendDuration, 'Event-store appends by outcome (ok, conflict, error), in seconds.', ['outcome'], APPEND_BUCKETS);
  const conflicts = counter(METRIC.appendConflicts, 'Appends refused because another writer changed the stream first.', []);
  const appendToStream = async (streamId: string, events: readonly EventToAppend[], options?: { expectedVersion?: ExpectedVersion }): Promise<AppendResult> => {
    const started = performance.now();
    let outcome = 'error';
    try {
      const result = await store.appendToStream(streamId, events, options);
      outcome = 'ok';
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        outcome = 'conflict';
        conflicts.inc();
      }
      throw error;
    } finally {
      appends.observe({ outcome }, (performance.now() - started) / 1000);
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') return appendToStream;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
