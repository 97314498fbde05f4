import { contextFrom, context, SpanKind, startSpan, tracingOn } from '@lapor/tracing';
import type { Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request, continuing the caller's W3C traceparent (the gateway's, for a service
 * behind it). Named by the route template, never the raw URL: a tracking id or a search may be in it.
 * Added only when tracing is on (startTracing before the app is built): off, a request meets no hook.
 */
export function traceRequests(app: FastifyInstance): void {
  if (!tracingOn()) return;
  // a callback hook, so every later hook and the handler run inside the span's context
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.traceparent;
    const route = request.routeOptions.url ?? 'unmatched';
    const started = startSpan(
      `${request.method} ${route}`,
      SpanKind.SERVER,
      { 'http.request.method': request.method, 'http.route': route },
      contextFrom(typeof header === 'string' ? header : undefined),
    );
    if (!started) return done();
    spans.set(request, started.span);
    context.with(started.context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      span.end();
    }
    done();
  });
}
