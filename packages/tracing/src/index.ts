export { startTracing, type Tracing } from './provider';
export { context, contextFrom, inSpan, SpanKind, startSpan, traceFields, traceparentNow, tracingOn, TRACEPARENT } from './spans';
export type { Span } from '@opentelemetry/api';
