import { AppendSignal } from './append-signal';
import { createAppender } from './append';
import { createBatchAppender } from './append-batch';
import { createManyAppender } from './append-many';
import { GroupCommit, type GroupCommitOptions } from './group-commit';
import { createGlobalLogReader, createLogHeadReader, shareConcurrentReads } from './global-log';
import type { AppendResult, EventStore } from './port';
import { createByStreamReader, createSettledHeadReader } from './read-by-stream';
import { createLatestReader, createStreamReader, createStreamsReader } from './read-stream';
import type { SqlRunner } from '@lapor/sql';
import { inSpan, SpanKind, traceparentNow, tracingOn, TRACEPARENT } from '@lapor/tracing';
import { appendedChannel, checkSchemaName } from './sql/identifiers';
import { migrate } from './sql/migrate';
import { GlobalLogFollower } from './subscription';

export interface StoreOptions {
  readonly schema: string;
  /** Apply pending migrations first (default true). */
  readonly migrate?: boolean;
  /** How concurrent appends share commits (e.g. `DEFAULT_GROUP_COMMIT`); none: each append commits alone. */
  readonly groupCommit?: GroupCommitOptions;
}

/** The event store over any driver: both drivers differ only in the `SqlRunner` they pass here. */
export async function openEventStore(db: SqlRunner, options: StoreOptions): Promise<EventStore> {
  const schema = checkSchemaName(options.schema);
  if (options.migrate ?? true) await migrate(db, schema);

  // Group commit when the driver asks for it: both drivers do by default (see drivers/), each with
  // the window its connections allow; a store opened here without it appends one by one.
  const alone = createAppender(db, schema);
  const batch = createBatchAppender(db, schema);
  const append = options.groupCommit ? new GroupCommit(alone, batch, options.groupCommit).append : alone;
  const appendMany = createManyAppender(alone, batch);
  const readGlobalLog = createGlobalLogReader(db, schema);
  const readForSubscriptions = shareConcurrentReads(readGlobalLog);
  const signal = new AppendSignal(db, appendedChannel(schema));
  const followers = new Set<GlobalLogFollower>();
  let closing: Promise<void> | undefined;

  return {
    async appendToStream(streamId, events, appendOptions) {
      const appendNow = async (toAppend: typeof events) => {
        const { transactionId, ...result } = await append(streamId, toAppend, appendOptions?.expectedVersion ?? 'any');
        if (transactionId !== undefined) signal.appended(transactionId);
        return result;
      };
      if (!tracingOn()) return appendNow(events);
      // the span's traceparent goes into each event's metadata: the relay continues the trace from there
      const eventTypes = [...new Set(events.map((event) => event.type))].join(',');
      return inSpan('event-store append', SpanKind.INTERNAL, { 'lapor.event_types': eventTypes, 'lapor.event_count': events.length }, () => {
        const traceparent = traceparentNow();
        return appendNow(traceparent ? events.map((event) => ({ ...event, metadata: { ...event.metadata, [TRACEPARENT]: traceparent } })) : events);
      });
    },
    async appendToStreams(appends) {
      const appendNow = async (toAppend: typeof appends) => {
        const outcomes = await appendMany(toAppend.map(({ streamId, events, expectedVersion }) => ({ streamId, events, expected: expectedVersion ?? 'any' })));
        return outcomes.map((outcome): PromiseSettledResult<AppendResult> => {
          if (outcome.status === 'rejected') return outcome;
          const { transactionId, ...result } = outcome.value;
          if (transactionId !== undefined) signal.appended(transactionId);
          return { status: 'fulfilled', value: result };
        });
      };
      if (!tracingOn() || appends.length === 0) return appendNow(appends);
      const eventCount = appends.reduce((sum, { events }) => sum + events.length, 0);
      return inSpan('event-store append to streams', SpanKind.INTERNAL, { 'lapor.stream_count': appends.length, 'lapor.event_count': eventCount }, () => {
        const traceparent = traceparentNow();
        return appendNow(
          traceparent
            ? appends.map((append) => ({
                ...append,
                events: append.events.map((event) => ({ ...event, metadata: { ...event.metadata, [TRACEPARENT]: traceparent } })),
              }))
            : appends,
        );
      });
    },
    readStream: createStreamReader(db, schema),
    readStreams: createStreamsReader(db, schema),
    readLatest: createLatestReader(db, schema),
    readGlobalLog,
    readLogHead: createLogHeadReader(db, schema),
    readSettledLogHead: createSettledHeadReader(db, schema),
    readLogByStream: createByStreamReader(db, schema),
    subscribeToGlobalLog(subscribeOptions) {
      if (closing) throw new Error('event store is closed');
      const follower = new GlobalLogFollower(readForSubscriptions, signal, subscribeOptions);
      followers.add(follower);
      void follower.done.finally(() => followers.delete(follower));
      return follower;
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...followers].map((follower) => follower.close()));
        await signal.close();
        await db.close();
      })();
      return closing;
    },
  };
}
