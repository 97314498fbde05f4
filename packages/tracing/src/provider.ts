import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { markTracingOn } from './spans';

/** What a process holds while it traces: `shutdown` flushes the spans not yet exported (call it on stop). */
export interface Tracing {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => undefined };

/**
 * Traces for this process, exported as OTLP/HTTP JSON to `<endpoint>/v1/traces` — only when an
 * endpoint is set: without one nothing is registered, and every span helper is a plain call (the
 * API's no-op tracer is not even asked). Registering sets the AsyncLocalStorage context manager and
 * the W3C trace-context propagator the helpers rely on.
 */
export function startTracing(serviceName: string, endpoint: string | undefined): Tracing {
  if (!endpoint) return OFF;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  provider.register();
  markTracingOn();
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    // forceFlush first: shutdown alone has dropped the last batch when the exporter was mid-request
    shutdown: () => (stopped ??= provider.forceFlush().then(() => provider.shutdown())),
  };
}
