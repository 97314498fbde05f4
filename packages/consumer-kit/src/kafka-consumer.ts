import { retrying } from '@lapor/background';
import { fromKafkaMessage, MalformedMessageError, provisionTopics, TopicSettings } from '@lapor/complaint-event-message';
import type { SqlRunner } from '@lapor/sql';
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { counter, METRIC } from '@lapor/metrics';
import { applyOnce, applyPageIn, isParked, park, type EventHandler } from './apply-once';
import type { EventEnvelope } from './envelope';
import { tracingOn, TRACEPARENT } from '@lapor/tracing';
import { applySpan as spanOfApply } from './apply-span';
import { OffsetCommitter } from './offset-committer';
import { GATHER_MS } from './gather';

/** The apply as a span under the relay's publish, whose traceparent rode in the message's headers. */
function applySpan<T>(consumer: string, event: EventEnvelope, message: KafkaMessage, apply: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return apply();
  const header = message.headers?.[TRACEPARENT];
  return spanOfApply(consumer, event.type, (Array.isArray(header) ? header[0] : header)?.toString(), apply);
}

/** Why a message is in the dead-letter topic (header `dead-letter-reason`; the `error` header has the detail). */
export type DeadLetterReason = 'malformed' | 'failed' | 'held-back';

/** Headers the dead-letter topic adds; a replay takes them off again. */
export const DEAD_LETTER_HEADERS = ['dead-letter-reason', 'error', 'source-topic', 'source-partition', 'source-offset'] as const;

/** What the consumer says: pino's logger and fastify's both fit. */
export interface FeedLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface KafkaEventConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly handler: EventHandler;
  readonly db: SqlRunner;
  readonly logger: FeedLog;
  /** Default `lapor.<handler name>`: one group per read side, as many members as partitions. */
  readonly groupId?: string;
  /** Attempts before an event goes to the dead-letter topic (default 5). */
  readonly maxAttempts?: number;
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** Default `<topic>.dlq.<handler name>`. */
  readonly deadLetterTopic?: string;
  /** Partition batches handed over at once by kafkajs, each partition still in order (default 64: see start). */
  readonly partitionsConsumedConcurrently?: number;
  /** Fault injection for tests: runs after the database commit, before the offset commit. */
  readonly beforeOffsetCommit?: (event: EventEnvelope) => Promise<void>;
  /**
   * 'batch' (the default) commits every OFFSETS_COMMITTED_EVERY_MS what the batches since applied, in
   * one request for all partitions; 'message' commits after every message, kept only as the baseline the bench
   * (`pnpm bench:consume`) measures against.
   */
  readonly commit?: 'batch' | 'message';
  /** Partitions, replication and retention of the dead-letter topic this consumer provisions, and the partitions it expects of `topic`. */
  readonly topicSettings?: TopicSettings;
  /** Chunks go to the database at most this often (default GATHER_MS; 0: at once). */
  readonly gatherMs?: number;
  /** How long the group waits for a silent member before handing its partitions to others (default 6 s). */
  readonly sessionTimeoutMs?: number;
}

// anything above zero needs an operator (the alert rule in infra/observability says so)
const deadLetters = () =>
  counter(METRIC.deadLetters, 'Events sent to a dead-letter topic since start, by consumer and reason (malformed, failed, held-back).', ['consumer', 'reason']);

/** Messages of a batch applied in one transaction (one commit), when none needs handling alone. */
const APPLIED_TOGETHER = 100;
/** Partition batches of a fetch kafkajs hands over at once (at least the topic's partitions, 12 by default). */
const PARTITIONS_HANDED_OVER = 64;

/** Offsets are committed this often (see OffsetCommitter), within a long batch too: what a crash redelivers stays small. */
const OFFSETS_COMMITTED_EVERY_MS = 1_000;
/**
 * A member that stops heartbeating loses its partitions after this. Kafka's default minimum (the
 * broker's group.min.session.timeout.ms), not kafkajs' 30 s: after a broker restart or a crash, the
 * members that were there must expire before the group rebalances, and kafkajs has no static
 * membership to skip that wait. Each member heartbeats between messages, so slow batches are safe.
 */
const SESSION_TIMEOUT_MS = 6_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
const FETCH_WAIT_MS = 1_000;

/**
 * A read side fed from Kafka. Offsets are committed by hand, after the events' transactions, about
 * once a second for all partitions: a crash in between redelivers what was applied since, and
 * applyOnce skips it (each read-side update stores its position in the same transaction). Committing
 * per message, or per fetched batch (one event each when they trickle in), cost a round trip to the
 * broker per event, for no safety the stored positions do not already give. An event that keeps failing goes to the
 * dead-letter topic, with the error, so the partition moves on; an operator replays it from there.
 * A message that is not a complaint-event message (it fails the schema) goes there at once, with
 * the schema's reason: no retry can make it parse.
 */
export class KafkaEventConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private offsets: OffsetCommitter | undefined;
  /** Chunks handed over in this turn of the event loop, applied together at its end. */
  private gathering: Array<{
    readonly chunk: readonly KafkaMessage[];
    readonly resolve: (together: Map<KafkaMessage, EventEnvelope> | undefined) => void;
    readonly reject: (error: unknown) => void;
  }> = [];
  /** When the last gathered chunks went to the database (see GATHER_MS). */
  private lastGatheredAt = 0;
  /** The database work under way: the next waits for it. */
  private applying: Promise<unknown> = Promise.resolve();
  readonly deadLetterTopic: string;
  private readonly groupId: string;

  constructor(private readonly options: KafkaEventConsumerOptions) {
    this.deadLetterTopic = options.deadLetterTopic ?? `${options.topic}.dlq.${options.handler.name}`;
    this.groupId = options.groupId ?? `lapor.${options.handler.name}`;
    // exported from the start (none yet), so an alert on its increase has a series to read
    deadLetters();
  }

  async start(): Promise<void> {
    const { kafka, topic, logger } = this.options;
    await this.provisionTopics();
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    const consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      // a stop waits for the fetch under way: an idle fetch held 5 s (kafkajs' default) made every shutdown 5 s
      maxWaitTimeInMs: FETCH_WAIT_MS,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const perMessage = this.options.commit === 'message';
    const offsets = new OffsetCommitter(
      (applied) => consumer.commitOffsets(applied.map(({ partition, offset }) => ({ topic, partition, offset }))),
      OFFSETS_COMMITTED_EVERY_MS,
      (error) =>
        logger.warn(
          { err: error, groupId: this.groupId },
          'offsets not committed; the next commit carries them (a restart meanwhile redelivers events the read side skips)',
        ),
    );
    this.offsets = offsets;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Every partition of a fetch handed over at once, so their chunks can be gathered into one
      // transaction (see gathered): at a steady rate a fetch holds an event or two per partition,
      // and a transaction each was most of a read side's cost. The database work itself stays one
      // transaction at a time: two side by side took the same hot rows (today's recap bucket of an
      // instansi) in different orders, which deadlocked every few seconds at 20 complaints/s.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? PARTITIONS_HANDED_OVER,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const partition = batch.partition;
        const messages = batch.messages;
        for (let start = 0; start < messages.length;) {
          // stopping, or the partition went to another member in a rebalance: leave the rest to it
          if (!isRunning() || isStale()) break;
          const chunk = messages.slice(start, start + (perMessage ? 1 : APPLIED_TOGETHER));
          // the chunk in one transaction when it can be; else (a malformed, parked or failing
          // event among them) one by one, with retries and dead letters, as each deserves
          const together = perMessage ? undefined : await this.gathered(chunk);
          for (const message of chunk) {
            if (!together && (!isRunning() || isStale())) break;
            const event = together ? together.get(message) : await this.serially(() => this.process(message, partition));
            if (event) await this.options.beforeOffsetCommit?.(event);
            resolveOffset(message.offset); // the next fetch starts after it
            offsets.note(partition, (BigInt(message.offset) + 1n).toString());
            start++;
            if (perMessage) await offsets.flush();
            else await offsets.commitIfDue();
            if (!together) await heartbeat();
          }
          await heartbeat();
        }
        // a stale batch's partition belongs to another member now: its commit would be refused
        if (isStale()) offsets.forget(partition);
        else await offsets.commitIfDue();
      },
    });
    offsets.start();
    logger.info({ topic, groupId: this.groupId }, 'consumer started');
  }

  /**
   * The dead-letter topic is this consumer's own: it creates it, explicitly, with the configured
   * settings. The topic it reads is the relay's: missing, the start fails (and is retried) saying
   * so; with fewer partitions than configured, it says so loudly and reads it anyway.
   */
  private async provisionTopics(): Promise<void> {
    const { kafka, topic, logger } = this.options;
    const settings = this.options.topicSettings ?? TopicSettings.parse({});
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      if (!existing.has(topic)) {
        throw new Error(`topic ${topic} does not exist: the relay provisions it when it starts (check that it runs against these brokers, and LAPOR_TOPIC)`);
      }
      await provisionTopics(admin, [this.deadLetterTopic], settings);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions.length ?? 0;
      if (partitions < settings.LAPOR_TOPIC_PARTITIONS) {
        logger.error(
          { topic, partitions, configured: settings.LAPOR_TOPIC_PARTITIONS, consumer: this.options.handler.name },
          `topic ${topic} has ${partitions} partitions, fewer than the ${settings.LAPOR_TOPIC_PARTITIONS} configured (LAPOR_TOPIC_PARTITIONS): at most ${partitions} members of ${this.groupId} get work; was it created by someone else before the relay?`,
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    // committed while the member still belongs to the group: after the disconnect it cannot
    await this.offsets?.stop().catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }

  /**
   * The chunk applied together with those the other partitions of the same fetch hand over in the
   * same turn of the event loop: one transaction for all (undefined when that fails; then each
   * partition applies its own one by one).
   */
  private gathered(chunk: readonly KafkaMessage[]): Promise<Map<KafkaMessage, EventEnvelope> | undefined> {
    return new Promise((resolve, reject) => {
      this.gathering.push({ chunk, resolve, reject });
      if (this.gathering.length > 1) return;
      const apply = (): void => {
        const waiting = this.gathering;
        this.gathering = [];
        this.lastGatheredAt = Date.now();
        this.applyGathered(waiting).catch((error: unknown) => waiting.forEach((entry) => entry.reject(error)));
      };
      const wait = this.lastGatheredAt + (this.options.gatherMs ?? GATHER_MS) - Date.now();
      if (wait > 0) setTimeout(apply, wait);
      else setImmediate(apply);
    });
  }

  private async applyGathered(waiting: typeof this.gathering): Promise<void> {
    const together = await this.serially(() => this.applyTogether(waiting.flatMap((entry) => entry.chunk)));
    if (together || waiting.length === 1) {
      for (const entry of waiting) entry.resolve(together);
      return;
    }
    // one of them cannot go with the rest (malformed, parked, failing): each partition's chunk
    // then goes as if it had come alone, so only the one holding it is applied event by event
    for (const entry of waiting) entry.resolve(entry.chunk.length > 1 ? await this.serially(() => this.applyTogether(entry.chunk)) : undefined);
  }

  /** One piece of database work at a time, in the order asked for. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const done = this.applying.then(work);
    this.applying = done.catch(() => undefined);
    return done;
  }

  /**
   * Applies the messages in one transaction (one commit for all), when every one is a readable
   * complaint event whose complaint is not parked and all apply; undefined (nothing applied) otherwise.
   */
  private async applyTogether(messages: readonly KafkaMessage[]): Promise<Map<KafkaMessage, EventEnvelope> | undefined> {
    const { handler, db } = this.options;
    const events = new Map<KafkaMessage, EventEnvelope>();
    try {
      for (const message of messages) events.set(message, fromKafkaMessage(message));
      const chunk = [...events];
      // a parked complaint among them: ParkedComplaintsError, and each goes on its own below
      await db.transaction((tx) =>
        applyPageIn(
          tx,
          handler,
          chunk.map(([, event]) => event),
          (event, index, apply) => applySpan(handler.name, event, chunk[index]![0], apply),
          { refuseParked: true },
        ),
      );
      return events;
    } catch {
      return undefined;
    }
  }

  /** Applies the message (retrying with backoff); hands it to the dead-letter topic when it keeps failing. */
  private async process(message: KafkaMessage, partition: number): Promise<EventEnvelope | undefined> {
    const { handler, db, logger, maxAttempts = 5 } = this.options;
    let event: EventEnvelope;
    try {
      event = fromKafkaMessage(message);
    } catch (error) {
      if (!(error instanceof MalformedMessageError)) throw error;
      await this.deadLetter(message, partition, 'malformed', error.reason);
      return undefined;
    }
    // After one of a complaint's events was dead-lettered, its later events follow it there:
    // applying them now would put the complaint's history out of order for this read side.
    if (await isParked(db, handler.name, event.complaintId)) {
      await this.deadLetter(message, partition, 'held-back', 'held back: an earlier event of this complaint is in the dead-letter topic');
      return undefined;
    }
    const { first, max } = this.options.retryMs ?? { first: 100, max: 5_000 };
    try {
      await retrying(() => applySpan(handler.name, event, message, () => applyOnce(db, handler, event)), {
        backoff: { firstMs: first, maxMs: max },
        maxAttempts,
        onRetry: (error, { attempt }) => logger.warn({ consumer: handler.name, eventId: event.eventId, attempt, err: String(error) }, 'event failed; retrying'),
      });
      return event;
    } catch (error) {
      await park(db, handler.name, event.complaintId);
      await this.deadLetter(message, partition, 'failed', error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /** The message as it came (its own headers kept, for a replay), with why it is here. */
  private async deadLetter(message: KafkaMessage, partition: number, reason: DeadLetterReason, detail: string): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'dead-letter-reason': reason,
      error: detail.slice(0, 1_000),
      'source-topic': this.options.topic,
      'source-partition': String(partition),
      'source-offset': message.offset,
    };
    await this.producer!.send({ topic: this.deadLetterTopic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    deadLetters().inc({ consumer: this.options.handler.name, reason });
    this.options.logger.error(
      { consumer: this.options.handler.name, deadLetterTopic: this.deadLetterTopic, partition, offset: message.offset, reason, err: detail },
      reason === 'malformed'
        ? `message sent to ${this.deadLetterTopic}: it is not a complaint-event message this consumer can read (see its error header); the consumer moved on`
        : `event sent to ${this.deadLetterTopic} after repeated failures; fix the cause, then replay it (replayDeadLetters)`,
    );
  }
}
