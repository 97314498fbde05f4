import { inSpan, SpanKind, storedParent, tracingOn } from '@lapor/tracing';

/**
 * The apply of one event by one read side, as a consumer span continuing the trace the event was
 * appended in: its traceparent came in the Kafka message's headers (put there by the relay) or in
 * the event's metadata (read from the log in this process). What the handler queues for later (an
 * SMS, a webhook) keeps this span's traceparent, so the delivery joins the same trace.
 */
export function applySpan<T>(
  consumer: string,
  eventType: string,
  transport: 'kafka' | 'event-log',
  traceparent: string | undefined,
  apply: () => Promise<T>,
): Promise<T> {
  if (!tracingOn()) return apply();
  return inSpan(
    `apply ${consumer}`,
    SpanKind.CONSUMER,
    // the log is no messaging system: only Kafka is named as one
    {
      ...(transport === 'kafka' ? { 'messaging.system': 'kafka' } : {}),
      'lapor.feed': transport,
      'messaging.consumer.group.name': consumer,
      'lapor.event_type': eventType,
    },
    apply,
    storedParent(traceparent),
  );
}
