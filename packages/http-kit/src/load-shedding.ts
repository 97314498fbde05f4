import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problem';

// Past a bound of requests in progress, a process answers 503 at once instead of taking more work:
// the embedded store (PGlite) runs on the event loop, and under a few hundred concurrent callers
// every request, liveness included, waited behind the queue until nothing answered. A quick 503
// with Retry-After lets clients back off and keeps the process answering; liveness is never shed,
// so an orchestrator does not kill a process that is merely busy.

export interface LoadSheddingOptions {
  /** Requests in progress at once; the next one is answered 503. */
  readonly maxInFlight: number;
}

/** Routes always answered: "is the process alive" must not depend on how busy it is. */
const NEVER_SHED = new Set(['/health/live']);

export const loadShedding = fp(
  async (app: FastifyInstance, options: LoadSheddingOptions) => {
    let inFlight = 0;
    app.addHook('onRequest', async (request, reply) => {
      if (NEVER_SHED.has(request.routeOptions.url ?? '')) return;
      if (inFlight >= options.maxInFlight) {
        void reply.header('retry-after', '1');
        throw new HttpProblem(503, 'overloaded', 'Service Unavailable', `${options.maxInFlight} requests are in progress here already; retry in a moment.`);
      }
      inFlight += 1;
      // 'close' comes once per response, answered or cut off by the client alike
      reply.raw.once('close', () => (inFlight -= 1));
    });
  },
  { name: 'lapor-load-shedding' },
);
