import { LOG_START, type EventStore, type LogPosition, type Subscription } from '@lapor/event-store';
import { METRIC, sampledGauge } from '@lapor/metrics';
import type { SqlRunner } from '@lapor/sql';
import type { EventHandler } from './apply-once';
import { followEventLog } from './log-follower';

export type ReadModelReadiness = Record<string, 'ok' | 'unavailable'>;

/** A read model fed from the event log in this process, that can say whether it is caught up. */
export interface FollowedReadModel {
  /** `{ [handler name]: 'ok' }` once started and within `readyWithinEvents` of the log's end. */
  readiness(): Promise<ReadModelReadiness>;
  /** The last answer of readiness(), for a check that cannot wait (refreshed every second while started). */
  lastReadiness(): ReadModelReadiness;
  /** Begins following the log (once; a second call does nothing). */
  start(): void;
  close(): Promise<void>;
}

const readModelLagEvents = () =>
  sampledGauge(METRIC.readModelLagEvents, 'Log events a read model fed in this process has not applied, counted up to its readiness bound + 1.', [
    'read_model',
  ]);
const readModelLagSeconds = () =>
  sampledGauge(METRIC.readModelLagSeconds, 'Seconds the oldest log event a read model has not applied has waited (0 when caught up).', ['read_model']);

/**
 * A read side's handler fed by the log follower, with the readiness a process reports for it: ready
 * means whole, so a cold start or a rebuild answers 'unavailable' until the read model has passed
 * all but `readyWithinEvents` of the log, never a half-filled list as if it were the whole.
 */
export function followReadModel(
  store: EventStore,
  db: SqlRunner,
  handler: EventHandler,
  options: {
    readonly readyWithinEvents: number;
    readonly onError: (error: unknown) => void;
    /** 'external': someone else feeds `handler` (a Kafka consumer) and answers for readiness; start() does nothing. */
    readonly feed?: 'event-log' | 'external';
  },
): FollowedReadModel {
  const check = handler.name;
  let position: LogPosition = LOG_START;
  let following: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let last: 'ok' | 'unavailable' = 'unavailable';
  // what /metrics reports: the last readiness read's count, and the age of the oldest event not applied
  let lag: { events: number; oldestRecordedAt: Date | undefined } | undefined;
  let unregister: Array<() => void> = [];
  const readiness = async (): Promise<ReadModelReadiness> => {
    try {
      // the log past what was applied, counted no further than the bound
      const { events } = await store.readGlobalLog(position, options.readyWithinEvents + 1);
      lag = { events: events.length, oldestRecordedAt: events[0]?.recordedAt };
      last = following && events.length <= options.readyWithinEvents ? 'ok' : 'unavailable';
    } catch {
      last = 'unavailable';
    }
    return { [check]: last };
  };
  // one read at a time: a catch-up moves the position a page at a time, faster than a read answers
  let checking: Promise<unknown> | undefined;
  const refresh = (): void => {
    checking ??= readiness().finally(() => (checking = undefined));
  };
  const labels = { read_model: check };
  const lagSamples = {
    events: () => (lag ? [{ labels, value: lag.events }] : []),
    seconds: () => (lag ? [{ labels, value: lag.oldestRecordedAt ? Math.max(0, Date.now() - lag.oldestRecordedAt.getTime()) / 1000 : 0 }] : []),
  };
  return {
    readiness,
    lastReadiness: () => ({ [check]: last }),
    start() {
      if (following || options.feed === 'external') return;
      following = followEventLog(store, db, handler, {
        // while not ready, every move is looked at at once: a process that starts caught up says so
        // as soon as it knows where it is, not at the next second's tick
        onPosition: (at) => {
          position = at;
          if (last !== 'ok') refresh();
        },
        onError: options.onError,
      });
      timer = setInterval(refresh, 1_000).unref();
      unregister = [readModelLagEvents().add(lagSamples.events), readModelLagSeconds().add(lagSamples.seconds)];
    },
    async close() {
      for (const remove of unregister) remove();
      clearInterval(timer);
      await following?.close();
    },
  };
}
