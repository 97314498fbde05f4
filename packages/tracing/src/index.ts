export { startTracing, type Tracing } from './provider';
export {
  context,
  contextFrom,
  inBatchSpan,
  inSpan,
  markFailed,
  SpanKind,
  startSpan,
  storedParent,
  traceFields,
  traceparentNow,
  tracingOn,
  TRACEPARENT,
} from './spans';
export type { InItemTrace } from './spans';
export type { Span } from '@opentelemetry/api';
