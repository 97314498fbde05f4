/**
 * The event store port: EventStoreDB-shaped, so an adapter over `@eventstore/db-client`
 * could sit behind it later. Implementations: PostgreSQL over `pg`, and PGlite (embedded).
 */

/** What the writer expects the stream to be at: anything, absent, or exactly at a version. */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventToAppend {
  /**
   * A UUID chosen by the writer (as EventStoreDB requires). Appending the same ids again to the same
   * stream is a no-op that returns the first append's result (idempotent retry).
   */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: Record<string, unknown>;
}

/** One stream's part of `appendToStreams`. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  /** As `appendToStream`'s (default 'any'). */
  readonly expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** Version of the stream's last event after the append (first event = 0n). */
  readonly nextExpectedVersion: bigint;
  /** Global position of the last event appended. */
  readonly position: bigint;
}

export interface RecordedEvent {
  /** The writer's UUID, in lower case. */
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: bigint;
  /** Global position: unique and increasing in insertion order; page the global log by `logPosition`, never by this alone. */
  readonly position: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

/** Where a reader stands in the global log; store it whole, compare with `compareLogPositions`. */
export interface LogPosition {
  readonly transactionId: bigint;
  readonly position: bigint;
}
export const LOG_START: LogPosition = { transactionId: 0n, position: 0n };

/** Global log order: -1 when `a` comes first, 1 when `b` does, 0 when equal. */
export function compareLogPositions(a: LogPosition, b: LogPosition): -1 | 0 | 1 {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return 0;
}

/** Where a read stream by stream stands: just after this event. */
export interface StreamCursor {
  readonly streamId: string;
  readonly streamVersion: bigint;
}

/** An event as read from the global log: with the position to resume after it. */
export type GlobalLogEvent = RecordedEvent & { readonly logPosition: LogPosition };

export interface GlobalLogPage {
  readonly events: readonly GlobalLogEvent[];
  /** Pass back to read the next page. */
  readonly next: LogPosition;
}

export interface Subscription {
  /** Stops delivering; resolves once the event being delivered (if any) is done. */
  close(): Promise<void>;
}

/** What a subscriber is handed: each event alone, or each page of events at once (one transaction for many). */
export type SubscriptionDelivery =
  | {
      /**
       * Called in log order, one event at a time; the next is not delivered before it resolves.
       * If it throws, the subscription stops and `onError` gets the error: resubscribe from your checkpoint.
       */
      readonly onEvent: (event: GlobalLogEvent) => Promise<void> | void;
      readonly onPage?: undefined;
    }
  | {
      /** As onEvent, with every page read (never empty, at most `pageSize` events in log order) at once. */
      readonly onPage: (events: readonly GlobalLogEvent[]) => Promise<void> | void;
      readonly onEvent?: undefined;
    };

export type SubscribeOptions = SubscriptionOptions & SubscriptionDelivery;

export interface SubscriptionOptions {
  /** Deliver the events after this position (default: from the start). */
  readonly from?: LogPosition;
  /** Read failures (the subscription retries) and a failing `onEvent` (the subscription stops). */
  readonly onError?: (error: unknown) => void;
  readonly pageSize?: number;
  /** Safety-net poll interval when no notification arrives. */
  readonly pollIntervalMs?: number;
  /**
   * Once caught up, read at most this often however many appends are announced (default 0: at
   * once). A read model that may trail by a few milliseconds sets it, so a busy store serves one
   * read per interval instead of one per append.
   */
  readonly minReadIntervalMs?: number;
}

export interface EventStore {
  /**
   * Appends atomically. Throws `WrongExpectedVersionError` when the stream is elsewhere, and
   * `DuplicateEventIdError` when some ids are already stored but not as this very append.
   * An empty `events` is refused (RangeError).
   */
  appendToStream(streamId: string, events: readonly EventToAppend[], options?: { expectedVersion?: ExpectedVersion }): Promise<AppendResult>;
  /**
   * Appends to many streams, each at most once, in one statement and one commit: a batch of
   * decisions on different streams costs one round trip, not one each. Each append succeeds or
   * fails alone (a conflict, stored ids), answered in the order given exactly as `appendToStream`
   * would answer it: a conflicting one writes nothing and leaves the others written. Refused whole
   * (RangeError) when a stream appears twice.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<PromiseSettledResult<AppendResult>[]>;
  /** The stream's events in order; empty when the stream does not exist. */
  readStream(streamId: string, options?: { fromVersion?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
  /**
   * Several streams in one round trip, each from its own version (default 0), answered in the order
   * asked, each stream's events in order (empty for a stream that does not exist, or has nothing from there).
   */
  readStreams(reads: ReadonlyArray<{ readonly streamId: string; readonly fromVersion?: bigint }>): Promise<RecordedEvent[][]>;
  /**
   * The last event of each of these streams that exists, in no particular order: "when did this
   * happen last" for many streams in one round trip (a unit's last inbox visit, a sign-in).
   */
  readLatest(streamIds: readonly string[]): Promise<RecordedEvent[]>;
  /** Every event of every stream, each exactly once, in an order all readers agree on. */
  readGlobalLog(from: LogPosition, maxCount: number): Promise<GlobalLogPage>;
  /**
   * The position of the newest event committed when asked (LOG_START when there is none). The global
   * log reads a transaction only once every older one has ended, so an empty page after a follower's
   * position does not mean it has seen everything committed: a follower is caught up with what was
   * committed before a question once its position has reached this.
   */
  readLogHead(): Promise<LogPosition>;
  /**
   * The last position the global log can deliver now (LOG_START when there is none): every event at
   * or below it has committed, and none can still appear there. The cut a rebuild reads up to.
   */
  readSettledLogHead(): Promise<LogPosition>;
  /**
   * The events at or below `upTo` (a settled position) stream by stream, after `after`: streams in
   * the order of their ids, each one's events in version order, at most `maxCount` a page. A stream
   * may run on into the next page. For a rebuild that folds one stream whole and then forgets it.
   */
  readLogByStream(upTo: LogPosition, after: StreamCursor | undefined, maxCount: number): Promise<RecordedEvent[]>;
  /** Catches up from `from`, then follows new appends live. */
  subscribeToGlobalLog(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export { WrongExpectedVersionError, DuplicateEventIdError } from './errors';
