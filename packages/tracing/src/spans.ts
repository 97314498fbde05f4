import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

// Span helpers the processes share. Attributes name routes, event types, consumers and topics —
// never a reporter's identity, a complaint's text or a raw URL (a tracking id may be in one).

/** The W3C header (and event-metadata and Kafka-header key) a trace travels by. */
export const TRACEPARENT = 'traceparent';

let on = false;
/** Set once by startTracing: until then every helper here costs one boolean test. */
export const markTracingOn = (): void => {
  on = true;
};
export const tracingOn = (): boolean => on;

const tracer = () => trace.getTracer('lapor');

/** The context a traceparent value (or none) continues; the active one when there is none. */
export function contextFrom(traceparent: string | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { [TRACEPARENT]: traceparent });
}

/**
 * The context a traceparent stored with work for later (an event's metadata, an outbox row)
 * continues: that trace, or a new one when none was stored — never whatever span happens to be
 * active where the work is picked up (a poll woken by some other request).
 */
export function storedParent(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent });
}

/** The traceparent of the span active now, for a header or an event's metadata; undefined when none. */
export function traceparentNow(active: Context = context.active()): string | undefined {
  if (!on) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier[TRACEPARENT];
}

export { SpanKind };

/**
 * Runs `work` inside a span (child of `parent`, else of the active span), ending it when `work`
 * settles; `work` gets the span (undefined when tracing is off) to record what it learns on the way.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
  parent?: Context,
): Promise<T> {
  if (!on) return work(undefined);
  const span = tracer().startSpan(name, { kind, attributes }, parent ?? context.active());
  try {
    return await context.with(trace.setSpan(parent ?? context.active(), span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs one item of a batch (an event of a page) in the trace that item belongs to. */
export type InItemTrace = <T>(traceparent: string | undefined, work: () => Promise<T>) => Promise<T>;

const runAsIs: InItemTrace = (_traceparent, work) => work();
// more links than this say nothing more to a reader and cost an export every page
const MAX_LINKS = 64;

/**
 * One span for a batch of items that each carry the traceparent they were stored with (a page of
 * events applied by one read side), rather than one span an item: the span is a child of their trace
 * when they all share one, else a trace of its own linked to theirs. `work` runs each item through
 * `inItemTrace`, so what an item causes (an SMS queued, an event appended) joins the item's own
 * trace: under this span when the batch is that trace's alone, else under the span that stored it
 * (an item stored with none stays under this span).
 */
export async function inBatchSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  traceparents: ReadonlyArray<string | undefined>,
  work: (inItemTrace: InItemTrace) => Promise<T>,
): Promise<T> {
  if (!on) return work(runAsIs);
  const distinct = [...new Set(traceparents.filter((traceparent): traceparent is string => traceparent !== undefined))];
  const shared = distinct.length === 1 && distinct.length === new Set(traceparents).size ? distinct[0] : undefined;
  const links = shared
    ? []
    : distinct.slice(0, MAX_LINKS).flatMap((traceparent) => {
        const linked = trace.getSpanContext(storedParent(traceparent));
        return linked ? [{ context: linked }] : [];
      });
  const parent = storedParent(shared);
  const span = tracer().startSpan(name, { kind, attributes, links }, parent);
  const inSpanContext = trace.setSpan(parent, span);
  const inItemTrace: InItemTrace = shared
    ? (_traceparent, item) => item()
    : (traceparent, item) => (traceparent ? context.with(storedParent(traceparent), item) : item());
  try {
    return await context.with(inSpanContext, () => work(inItemTrace));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Marks a span failed without throwing: an outcome the caller returns rather than raises (a receiver
 * that answered 500). `reason` is a class of failure, never a remote's text (it may echo anything).
 */
export function markFailed(span: Span | undefined, reason: string): void {
  span?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

/** A span the caller ends itself (a request's, a publish's); undefined when tracing is off. */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes, parent: Context): { span: Span; context: Context } | undefined {
  if (!on) return undefined;
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** For pino's mixin: the active span's ids, so a log line can be found from its trace and back. */
export function traceFields(): Record<string, string> {
  if (!on) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { context };
