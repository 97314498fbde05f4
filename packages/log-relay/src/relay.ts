import { Backoff, retrying, sleep } from '@lapor/background';
import { COMPLAINT_EVENTS_TOPIC, provisionTopics, TopicSettings, toKafkaMessage } from '@lapor/complaint-event-message';
import { LOG_START, type EventStore, type GlobalLogEvent, type GlobalLogPage, type LogPosition } from '@lapor/event-store';
import { contextFrom, SpanKind, startSpan, traceparentNow, TRACEPARENT, type Span } from '@lapor/tracing';
import type { ICustomPartitioner, Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { CheckpointStore } from './checkpoint';

export interface RelayOptions {
  readonly store: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly kafka: Kafka;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly topic?: string;
  /** Names the checkpoint: two relays with one name share it (run one at a time). */
  readonly name?: string;
  readonly batchSize?: number;
  /**
   * The pause after a read that found nothing new (default 20 ms); while nothing comes it doubles, up
   * to IDLE_POLL_MAX_MS (or this, if longer), and a read that finds events starts it over.
   */
  readonly pollIntervalMs?: number;
  /** The topic's partitions, replication and retention when the relay provisions it (LAPOR_TOPIC_*); `partitions` overrides. */
  readonly topicSettings?: TopicSettings;
  readonly partitions?: number;
  /** Backoff between failed attempts: doubles from the first to the last. */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /**
   * A publish Kafka has not acknowledged within this is reported as failing (default 2000 ms). The
   * idempotent producer retries without end while the broker is away, so waiting for send() to fail
   * would keep the relay "available" for as long as the outage lasts.
   */
  readonly publishStalledAfterMs?: number;
  /**
   * How keys map to partitions: give kafkajs' `Partitioners.DefaultPartitioner` (Java's murmur2, what
   * every Kafka client agrees on). Left out, kafkajs picks the same one and warns about it at every start.
   */
  readonly partitioner?: ICustomPartitioner;
}

export interface RelayStatus {
  readonly checkpoint: LogPosition;
  readonly published: number;
  readonly kafkaAvailable: boolean;
  /** Events written but not yet acknowledged by Kafka (counted at most once a second). */
  readonly lagEvents: number;
  /** Age of the oldest event not yet acknowledged; 0 when caught up. */
  readonly lagSeconds: number;
  readonly lastError: string | null;
  /** False until the relay has read the log once since it started: its lag is not known before. */
  readonly lagKnown: boolean;
}

/**
 * The event log is the outbox: this reads the global log from a durable checkpoint, publishes each
 * complaint event to Kafka (idempotent producer, acks=all, keyed by complaint), and moves the
 * checkpoint only after Kafka acknowledged. A crash between the two republishes a batch: duplicates
 * at the transport, which consumers skip by position. Nothing is published from inside a request.
 */
export class Relay {
  private readonly topic: string;
  private readonly name: string;
  private producer: Producer | undefined;
  // aborted by stop(): ends the pause under way, and with it every retry
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private position: LogPosition = LOG_START;
  private published = 0;
  private kafkaAvailable = false;
  private oldestPendingAt: Date | null = null;
  private lagEvents = 0;
  private lagCountedAt = 0;
  private lastError: string | null = null;
  private lagKnown = false;
  /** When the publish under way began; null when none is. */
  private publishingSince: number | null = null;
  private lagTimer: NodeJS.Timeout | undefined;
  /** The checkpoint save under way (true once saved, false when the relay stopped first). */
  private saving: Promise<boolean> = Promise.resolve(true);
  /** The next page, read while Kafka takes the one before it. */
  private readingAhead: Promise<GlobalLogPage | undefined> | undefined;

  constructor(private readonly options: RelayOptions) {
    this.topic = options.topic ?? COMPLAINT_EVENTS_TOPIC;
    this.name = options.name ?? `kafka:${this.topic}`;
  }

  async start(): Promise<void> {
    this.position = await this.options.checkpoints.load(this.name);
    this.options.logger.info({ checkpoint: printable(this.position), topic: this.topic }, 'relay starting from its checkpoint');
    // counted beside the loop, not in it: the loop waits on Kafka exactly when the lag grows
    this.lagTimer = setInterval(() => void this.countLag(), LAG_COUNTED_EVERY_MS);
    this.lagTimer.unref();
    this.running = this.run();
  }

  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    this.stopping.abort();
    await this.running;
    await this.producer?.disconnect().catch(() => undefined);
  }

  status(): RelayStatus {
    const waitedMs = this.publishingSince === null ? 0 : Date.now() - this.publishingSince;
    const stalled = waitedMs > (this.options.publishStalledAfterMs ?? 2_000);
    return {
      checkpoint: this.position,
      published: this.published,
      kafkaAvailable: this.kafkaAvailable && !stalled,
      lagEvents: this.lagEvents,
      lagSeconds: this.oldestPendingAt ? Math.max(0, (Date.now() - this.oldestPendingAt.getTime()) / 1000) : 0,
      lagKnown: this.lagKnown,
      lastError: this.lastError ?? (stalled ? `Kafka has not acknowledged a publish for ${(waitedMs / 1000).toFixed(1)} s` : null),
    };
  }

  private async run(): Promise<void> {
    try {
      await this.publishPages();
    } finally {
      // a checkpoint on its way is written (or given up), and no read is left running, before the relay reports stopped
      await Promise.all([this.saving, this.readingAhead]);
    }
  }

  /**
   * Three things overlap, each in order with itself: the next page is read while Kafka takes this
   * one, and this one's checkpoint is saved while Kafka takes the next. A checkpoint is only ever
   * saved for a page Kafka acknowledged, and after the one before it, so a crash still republishes
   * at most what was sent after the last saved checkpoint.
   */
  private async publishPages(): Promise<void> {
    const { store, batchSize = 500, pollIntervalMs = 20 } = this.options;
    let lastReadAt = 0;
    const read = (from: LogPosition) => {
      lastReadAt = Date.now();
      return this.attempt('read the event log', () => store.readGlobalLog(from, batchSize));
    };
    // an idle relay read the log fifty times a second, for nothing
    const idle = new Backoff({ firstMs: pollIntervalMs, maxMs: Math.max(pollIntervalMs, IDLE_POLL_MAX_MS) });
    let from = this.position;
    while (!this.stopping.signal.aborted) {
      const page = await (this.readingAhead ?? read(from));
      this.readingAhead = undefined;
      if (!page) return;
      await this.countLag();
      if (!this.producer) {
        // the topic first, even with nothing to publish yet: read sides wait for it to exist
        this.oldestPendingAt = page.events[0]?.recordedAt ?? null;
        if (!(await this.attempt('provision the topic', () => this.connectedProducer()))) return;
        this.kafkaAvailable = true;
      }
      this.lagKnown = true;
      if (page.events.length === 0) {
        this.oldestPendingAt = null;
        await sleep(idle.next(), this.stopping.signal);
        continue;
      }
      idle.reset();
      this.oldestPendingAt = page.events[0]!.recordedAt;
      // Caught up (a page not full): the next read waits until GATHER_MS after this one began, so
      // what arrives meanwhile goes in one read, one publish and one checkpoint. Reading again at
      // once sent a page, a Kafka request and a checkpoint for every event or two at a steady rate.
      const wait = page.events.length < batchSize ? lastReadAt + GATHER_MS - Date.now() : 0;
      this.readingAhead =
        wait > 0 ? sleep(wait, this.stopping.signal).then(() => (this.stopping.signal.aborted ? undefined : read(page.next))) : read(page.next);
      const publishSpans: Span[] = [];
      const messages = page.events.flatMap((event) => {
        const message = toKafkaMessage(event);
        return message ? [this.traced(event, message, publishSpans)] : [];
      });
      if (messages.length > 0) {
        const sent = await this.attempt('publish to Kafka', async () => {
          this.publishingSince ??= Date.now();
          const producer = await this.connectedProducer();
          await producer.send({ topic: this.topic, acks: -1, messages });
          return true;
        });
        for (const span of publishSpans) span.end();
        this.publishingSince = null;
        if (!sent) return;
        this.kafkaAvailable = true;
      }
      from = page.next;
      // Only now, and after the checkpoint before it: what Kafka has acknowledged is never read again.
      const previous = this.saving;
      this.saving = previous.then(async (saved) => {
        if (!saved) return false;
        const save = () => this.options.checkpoints.save(this.name, page.next).then(() => true);
        // a page Kafka acknowledged as the relay was stopped is still checkpointed, once, or the next
        // relay would send it again
        const done = this.stopping.signal.aborted ? await save().catch(() => false) : await this.attempt('save the checkpoint', save);
        if (!done) return false;
        this.position = page.next;
        this.published += messages.length;
        this.lagEvents = Math.max(0, this.lagEvents - page.events.length);
        return true;
      });
      // no more than one checkpoint behind: a page published waits for the save of the one before it
      if (!(await previous)) return;
    }
  }

  /**
   * The trace the event was appended in, continued: a publish span under the append's (from the
   * event's metadata), its traceparent in the message's headers for the consumer. Not tracing here,
   * the appender's traceparent is passed on as it is, so the consumer still joins its trace.
   */
  private traced(event: GlobalLogEvent, message: Message, spans: Span[]): Message {
    const appended = event.metadata[TRACEPARENT];
    if (typeof appended !== 'string') return message;
    const started = startSpan(
      'relay publish',
      SpanKind.PRODUCER,
      { 'messaging.system': 'kafka', 'messaging.destination.name': this.topic, 'lapor.event_type': event.type },
      contextFrom(appended),
    );
    if (started) spans.push(started.span);
    const traceparent = (started && traceparentNow(started.context)) ?? appended;
    return { ...message, headers: { ...message.headers, [TRACEPARENT]: traceparent } };
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const { partitioner } = this.options;
    const producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      ...(partitioner ? { createPartitioner: partitioner } : {}),
    });
    await producer.connect();
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      // explicitly, with the configured settings: whoever came first used to make it with the broker's default
      const settings = {
        ...(this.options.topicSettings ?? TopicSettings.parse({})),
        ...(this.options.partitions ? { LAPOR_TOPIC_PARTITIONS: this.options.partitions } : {}),
      };
      const [found] = await provisionTopics(admin, [this.topic], settings);
      if (found && found.partitions < settings.LAPOR_TOPIC_PARTITIONS) {
        this.options.logger.error(
          { topic: this.topic, partitions: found.partitions, configured: settings.LAPOR_TOPIC_PARTITIONS },
          `topic ${this.topic} has ${found.partitions} partitions, fewer than the ${settings.LAPOR_TOPIC_PARTITIONS} configured (LAPOR_TOPIC_PARTITIONS): read sides can spread over ${found.partitions} members only; add partitions with kafka-topics --alter while the relay is stopped and every read side has caught up (a complaint's key may move to another partition), or lower the setting`,
        );
      }
    } finally {
      await admin.disconnect();
    }
    this.producer = producer;
    return producer;
  }

  /** Runs `step` until it succeeds or the relay stops (undefined), waiting longer after each failure. */
  private attempt<T>(what: string, step: () => Promise<T>): Promise<T | undefined> {
    const { first, max } = this.options.retryMs ?? { first: 100, max: 5_000 };
    return retrying(
      async () => {
        const result = await step();
        if (this.lastError) this.options.logger.info({ step: what }, 'relay recovered');
        this.lastError = null;
        return result;
      },
      {
        backoff: { firstMs: first, maxMs: max },
        signal: this.stopping.signal,
        onRetry: (error, { delayMs }) => {
          const message = error instanceof Error ? error.message : String(error);
          if (what === 'publish to Kafka') {
            this.kafkaAvailable = false;
            // a producer that failed may hold a broken connection: start afresh next time
            const broken = this.producer;
            this.producer = undefined;
            void broken?.disconnect().catch(() => undefined);
          }
          if (this.lastError !== message) {
            this.options.logger.warn({ step: what, err: message, retryInMs: delayMs, lag: this.status() }, `relay could not ${what}; retrying with backoff`);
          }
          this.lastError = message;
        },
      },
    );
  }

  private async countLag(): Promise<void> {
    if (Date.now() - this.lagCountedAt < LAG_COUNTED_EVERY_MS) return;
    this.lagCountedAt = Date.now();
    const at = this.position;
    const counted = await this.options.checkpoints.countAfter(at).catch(() => undefined);
    // a checkpoint saved while counting made the count stale: the next one is a second away
    if (counted !== undefined && this.position === at) this.lagEvents = counted;
  }
}

const LAG_COUNTED_EVERY_MS = 1_000;
/** How often at most the relay reads the log while it keeps up (see publishPages). */
const GATHER_MS = 50;
/** The longest pause between reads of an idle log: the first event after a quiet spell waits at most this. */
const IDLE_POLL_MAX_MS = 200;

const printable = (position: LogPosition) => ({ transactionId: position.transactionId.toString(), position: position.position.toString() });
