import fastifyUnderPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problem';

// Past a bound, a process answers 503 at once instead of taking more work, so that clients back
// off and the process keeps answering. Two bounds, for two ways of drowning:
// - requests in progress: a handler waiting on PostgreSQL holds memory and a pool slot; past the
//   bound, new requests wait for nothing;
// - the event loop's delay: the embedded store (PGlite) works on the event loop, so under a few
//   hundred callers requests are not "in progress" side by side but queue unread while each one
//   runs to its end, and every request, liveness included, waited seconds. @fastify/under-pressure
//   measures that delay; past it, requests are answered 503 cheaply until the loop has caught up.
// Liveness is never shed, so an orchestrator does not kill a process that is merely busy.

export interface LoadSheddingOptions {
  /** Requests in progress at once; the next one is answered 503. */
  readonly maxInFlight?: number;
  /** The event loop's mean delay (ms, sampled each second) past which requests are answered 503. */
  readonly maxEventLoopDelayMs?: number;
}

/** Routes always answered: "is the process alive", and what it measures, must not depend on how busy it is. */
const NEVER_SHED = new Set(['/health/live', '/metrics']);
const RETRY_AFTER_SECONDS = '1';

function overloaded(reply: FastifyReply, detail: string): HttpProblem {
  void reply.header('retry-after', RETRY_AFTER_SECONDS);
  return new HttpProblem(503, 'overloaded', 'Service Unavailable', `${detail}; retry in a moment.`);
}

const exempt = (request: FastifyRequest): boolean => NEVER_SHED.has(request.routeOptions.url ?? '');

export const loadShedding = fp(
  async (app: FastifyInstance, options: LoadSheddingOptions) => {
    const { maxInFlight, maxEventLoopDelayMs } = options;
    if (maxEventLoopDelayMs) {
      await app.register(fastifyUnderPressure, {
        maxEventLoopDelay: maxEventLoopDelayMs,
        // resolving lets the request through; rejecting answers it as problem+json
        pressureHandler: async (request, reply) => {
          if (!exempt(request)) throw overloaded(reply, 'This process is behind on its work');
        },
      });
    }
    if (!maxInFlight) return;
    let inFlight = 0;
    app.addHook('onRequest', async (request, reply) => {
      if (exempt(request)) return;
      if (inFlight >= maxInFlight) throw overloaded(reply, `${maxInFlight} requests are in progress here already`);
      inFlight += 1;
      // 'close' comes once per response, answered or cut off by the client alike
      reply.raw.once('close', () => (inFlight -= 1));
    });
  },
  { name: 'lapor-load-shedding' },
);
