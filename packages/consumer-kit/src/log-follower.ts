import { Backoff } from '@lapor/background';
import { envelopeFromLog } from '@lapor/complaint-event-message';
import { LOG_START, type EventStore, type LogPosition, type Subscription } from '@lapor/event-store';
import { type SqlRunner } from '@lapor/sql';
import { TRACEPARENT } from '@lapor/tracing';
import { applyPageSpan } from './apply-span';
import { applyPageIn, followedPosition, type EventHandler } from './apply-once';
import { GATHER_MS } from './gather';

/**
 * The same handler fed straight from the event log: the embedded mode's transport, and how a new or
 * rebuilt read side starts from the very beginning, not from what Kafka still retains. When applying
 * an event fails (the database went away), it reports the error and follows again from that event
 * after a pause that grows to `maxRetryMs`: what was applied already is skipped by applyOnce.
 * The events of a page read from the log apply in one transaction, with the position of the last
 * complaint event among them, so a restart reads on from there (with no `from`), not from the start
 * of a log that may hold millions of events; a failing event rolls its page back whole.
 */
export function followEventLog(
  store: EventStore,
  db: SqlRunner,
  handler: EventHandler,
  options: {
    from?: LogPosition;
    onError: (error: unknown) => void;
    retryMs?: { first: number; max: number };
    /** Reads at most this often (default GATHER_MS); an idle read side still reads at once when told of an append. */
    minReadIntervalMs?: number;
    /** Told where it starts and each position passed, complaint event or not: how far behind the log the read side is. */
    onPosition?: (position: LogPosition) => void;
  },
): Subscription {
  const { first, max } = options.retryMs ?? { first: 200, max: 10_000 };
  // failures in a row: an applied event means the database is back
  const backoff = new Backoff({ firstMs: first, maxMs: max });
  let position = options.from;
  let current: Subscription | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const follow = async (): Promise<void> => {
    if (closed) return;
    if (position === undefined) {
      try {
        position = (await followedPosition(db, handler.name)) ?? LOG_START;
        options.onPosition?.(position);
      } catch (error) {
        options.onError(error);
        timer = setTimeout(() => void follow(), backoff.next());
        return;
      }
      if (closed) return;
    }
    current = store.subscribeToGlobalLog({
      from: position,
      minReadIntervalMs: options.minReadIntervalMs ?? GATHER_MS,
      // a page at a time, in one transaction: one commit for up to a page of events, not one each
      onPage: async (events) => {
        const applying = events.flatMap((event) => {
          const envelope = envelopeFromLog(event);
          const traceparent = event.metadata[TRACEPARENT];
          return envelope ? [{ event, envelope, traceparent: typeof traceparent === 'string' ? traceparent : undefined }] : [];
        });
        if (applying.length > 0) {
          const page = applying.map(({ envelope, traceparent }) => ({ type: envelope.type, traceparent }));
          await applyPageSpan(handler.name, page, (inEventTrace) =>
            db.transaction(async (tx) => {
              await applyPageIn(
                tx,
                handler,
                applying.map(({ envelope }) => envelope),
                (_event, index, apply) => inEventTrace(applying[index]!.traceparent, apply),
                { followed: applying.at(-1)!.event.logPosition },
              );
            }),
          );
        }
        position = events.at(-1)!.logPosition;
        options.onPosition?.(position);
        backoff.reset();
      },
      onError: (error) => {
        options.onError(error);
        // a failed event stops the subscription: start another from the last applied position
        const stopped = current;
        timer = setTimeout(() => void stopped?.close().then(follow), backoff.next());
      },
    });
  };
  void follow();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await current?.close();
    },
  };
}
