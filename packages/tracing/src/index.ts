export { startTracing, type Tracing } from './provider';
export { context, contextFrom, inSpan, markFailed, SpanKind, startSpan, storedParent, traceFields, traceparentNow, tracingOn, TRACEPARENT } from './spans';
export type { Span } from '@opentelemetry/api';
