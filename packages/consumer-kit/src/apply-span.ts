import { inBatchSpan, inSpan, SpanKind, storedParent, tracingOn, type InItemTrace } from '@lapor/tracing';

/**
 * The apply of one event by one read side, as a consumer span continuing the trace the event was
 * appended in: its traceparent came in the Kafka message's headers (put there by the relay). What the
 * handler queues for later (an SMS, a webhook) keeps this span's traceparent, so the delivery joins
 * the same trace.
 */
export function applySpan<T>(consumer: string, eventType: string, traceparent: string | undefined, apply: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return apply();
  return inSpan(
    `apply ${consumer}`,
    SpanKind.CONSUMER,
    { 'messaging.system': 'kafka', 'lapor.feed': 'kafka', 'messaging.consumer.group.name': consumer, 'lapor.event_type': eventType },
    apply,
    storedParent(traceparent),
  );
}

/**
 * The apply of a page of events read from the log in this process (the embedded mode's seven read
 * sides follow it at once): one span a page, not one an event and read side, which cost the traced
 * gateway most of its throughput. It is a child of the events' trace when the page is one request's,
 * else linked to each; what the handler queues for an event (an SMS, a webhook) joins that event's
 * trace either way (see inBatchSpan).
 */
export function applyPageSpan<T>(
  consumer: string,
  events: ReadonlyArray<{ readonly type: string; readonly traceparent: string | undefined }>,
  apply: (inEventTrace: InItemTrace) => Promise<T>,
): Promise<T> {
  return inBatchSpan(
    `apply ${consumer}`,
    SpanKind.CONSUMER,
    // the log is no messaging system: only Kafka is named as one
    {
      'lapor.feed': 'event-log',
      'messaging.consumer.group.name': consumer,
      'lapor.event_types': [...new Set(events.map((event) => event.type))].join(','),
      'lapor.event_count': events.length,
    },
    events.map((event) => event.traceparent),
    apply,
  );
}
