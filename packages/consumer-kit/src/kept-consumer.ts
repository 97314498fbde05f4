import { Backoff } from '@lapor/background';
import { isSettlingKafkaError, kafkaLogCreator, TopicSettings } from '@lapor/complaint-event-message';
import { METRIC, sampledGauge } from '@lapor/metrics';
import type * as Kafkajs from 'kafkajs';
import type { Admin, Consumer, ConsumerConfig, Kafka, Producer, ProducerConfig } from 'kafkajs';
import { z } from 'zod';
import { KafkaEventConsumer, type FeedLog, type KafkaEventConsumerOptions } from './kafka-consumer';

/** Background work a service runs beside its routes, with what its readiness depends on. */
export interface KeptConsumer {
  checks(): Record<string, 'ok' | 'unavailable'>;
  close(): Promise<void>;
}

/** KAFKA_BROKERS, LAPOR_TOPIC and LAPOR_CONSUMER_GROUP, as every read side run alone takes them. */
export const kafkaFeedEnvironment = (defaults: { topic: string; groupId: string }) =>
  z
    .object({
      KAFKA_BROKERS: z
        .string()
        .transform((value) =>
          value
            .split(',')
            .map((broker) => broker.trim())
            .filter(Boolean),
        )
        .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1, 'host:port[,host:port…]'))
        .optional(),
      LAPOR_TOPIC: z.string().min(1).default(defaults.topic),
      LAPOR_CONSUMER_GROUP: z.string().min(1).default(defaults.groupId),
    })
    .extend(TopicSettings.shape);

/**
 * kafkajs' retries while the brokers are away: at most a second apart, for about a minute. A member
 * that outlives a broker restart this way rejoins its group as itself as soon as the broker answers;
 * one that gave up (kafkajs' default, about 10 s of retries) is replaced by a new member, which
 * waits for the old one's session to expire first.
 */
const OUTAGE_RETRY = { initialRetryTime: 250, maxRetryTime: 1_000, retries: 60 };

/**
 * A member heartbeats every second while it consumes (idle or not); silent for longer than this,
 * its brokers are away and it is not ready. Under the session timeout, so readiness fails first.
 */
const SILENT_FOR_MS = 5_000;

/** How often the group's lag is measured, for readiness and /metrics. */
const LAG_EVERY_MS = 2_000;

/**
 * Starts that fail while the brokers are still settling (a topic created a moment ago electing its
 * leaders, the group's coordinator loading) are said as warnings this many times in a row; after
 * that, or for any other failure, an error. Every start of the whole set met one such failure.
 */
const SETTLING_STARTS_TOLERATED = 3;

/**
 * Messages the group has yet to apply, over all partitions; a partition it never committed on counts
 * from its first retained message.
 */
export async function groupLag(admin: Admin, topic: string, groupId: string): Promise<number> {
  return (await groupLagByPartition(admin, topic, groupId)).reduce((sum, { lag }) => sum + lag, 0);
}

/** As groupLag, per partition. */
export async function groupLagByPartition(admin: Admin, topic: string, groupId: string): Promise<Array<{ partition: number; lag: number }>> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const position = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.map((end) => ({ partition: end.partition, lag: Number(end.high) - Math.max(Number(end.low), position.get(end.partition) ?? -1) }));
}

const consumerLag = () =>
  sampledGauge(METRIC.kafkaConsumerLag, 'Messages a consumer group has yet to apply, per partition (measured every 2 s).', ['group', 'topic', 'partition']);

/**
 * A read side's Kafka consumer, kept running: a start that fails (the broker is not up yet) or a
 * crash kafkajs does not restart by itself is retried with a growing pause. Ready while the
 * consumer is a member of its group that heartbeats; kafkajs reports that through the consumer's events, so the
 * consumer is given a Kafka client that listens to each consumer it makes. `whileDown` says in the
 * log what the service cannot do meanwhile. With `readyWithinMessages`, ready also needs the group's
 * lag (measured every 2 s) within it: a read side starting cold, or far behind, does not serve a
 * half-filled table as if whole. Without brokers nothing is started: the service's plugin follows
 * the event log instead, and the log says so.
 */
export function keepConsuming(
  target: { brokers: string[] | undefined; log: FeedLog; whileDown?: string; readyWithinMessages?: number },
  options: Omit<KafkaEventConsumerOptions, 'kafka' | 'logger'> & { groupId: string },
): KeptConsumer {
  const { brokers, log } = target;
  const name = options.handler.name;
  if (!brokers) {
    log.warn(
      { topic: options.topic },
      `KAFKA_BROKERS is not set: ${name} follows the event log in DATABASE_URL directly; set KAFKA_BROKERS to consume ${options.topic} from Kafka as the distributed deployment does`,
    );
    return { checks: () => ({}), close: async () => undefined };
  }
  const where = { brokers, topic: options.topic, groupId: options.groupId };
  let member = false;
  // when the coordinator last heard from the member: a member riding out a broker outage is still
  // one, but not consuming, and not ready
  let heardAt = 0;
  let closed = false;
  let restarting = false;
  // failures in a row: joining the group means the brokers are back
  const backoff = new Backoff({ firstMs: 1_000, maxMs: 30_000 });
  let settlingInRow = 0;
  let timer: NodeJS.Timeout | undefined;
  let consumer: KafkaEventConsumer | undefined;

  // Replaces `failed` after a pause; once only, however many ways it reports failing.
  const replace = (failed: KafkaEventConsumer | undefined, reason: unknown): void => {
    member = false;
    if (closed || restarting || failed !== consumer) return;
    restarting = true;
    const wait = backoff.next();
    settlingInRow = isSettlingKafkaError(reason) ? settlingInRow + 1 : 0;
    const level = settlingInRow > 0 && settlingInRow <= SETTLING_STARTS_TOLERATED ? 'warn' : 'error';
    log[level](
      { ...where, err: reason, retryInMs: wait },
      `${name} consumer cannot consume ${options.topic} from Kafka at ${brokers.join(',')}; retrying (check KAFKA_BROKERS and that the brokers are up)${target.whileDown ? `; ${target.whileDown}` : ''}`,
    );
    const stopping = failed?.stop() ?? Promise.resolve();
    timer = setTimeout(() => void stopping.finally(start), wait);
  };

  // kafkajs (some 140 modules) is loaded here, by a read side that consumes: one that follows the
  // event log (every read side of an embedded gateway) never needs it
  const kafka: Promise<Kafka> = import('kafkajs').then((loaded: typeof Kafkajs & { default?: typeof Kafkajs }) => {
    const { Kafka, logLevel, Partitioners } = loaded.default ?? loaded;
    class WatchedKafka extends Kafka {
      // the dead-letter producer's partitioner named, as kafkajs would pick it, so it does not warn at every start
      override producer(config?: ProducerConfig): Producer {
        return super.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
      }

      override consumer(config: ConsumerConfig): Consumer {
        const owner = consumer; // KafkaEventConsumer.start makes its consumer here
        // the consumer only: the dead-letter producer is idempotent, and keeps kafkajs' unlimited retries
        const made = super.consumer({ ...config, retry: { ...OUTAGE_RETRY, ...config.retry } });
        made.on(made.events.GROUP_JOIN, ({ payload }) => {
          if (!member) {
            log.info(
              { ...where, memberId: payload.memberId, deadLetterTopic: owner?.deadLetterTopic },
              `${name} consumer joined group ${options.groupId} on ${options.topic}; events that keep failing go to ${owner?.deadLetterTopic}`,
            );
          }
          member = true;
          heardAt = Date.now();
          backoff.reset();
          settlingInRow = 0;
        });
        made.on(made.events.HEARTBEAT, () => (heardAt = Date.now()));
        made.on(made.events.DISCONNECT, () => (member = false));
        // restart: true means kafkajs rejoins by itself; otherwise this consumer is done and is replaced
        made.on(made.events.CRASH, ({ payload }) => (payload.restart ? (member = false) : replace(owner, payload.error)));
        return made;
      }
    }
    return new WatchedKafka({
      clientId: `lapor-${options.groupId}`,
      brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(log),
    });
  });

  // the lag (readiness may depend on it; /metrics reports it); undefined until measured (or when it cannot be)
  let lag: number | undefined;
  let lagByPartition: Array<{ partition: number; lag: number }> = [];
  let admin: Admin | undefined;
  let measuring = false;
  const measureLag = async (): Promise<void> => {
    if (closed || measuring) return;
    measuring = true;
    try {
      if (!admin) {
        admin = (await kafka).admin();
        await admin.connect();
      }
      lagByPartition = await groupLagByPartition(admin, options.topic, options.groupId);
      lag = lagByPartition.reduce((sum, partition) => sum + partition.lag, 0);
    } catch {
      lag = undefined;
      lagByPartition = [];
    } finally {
      measuring = false;
    }
  };
  const lagTimer = setInterval(() => void measureLag(), LAG_EVERY_MS).unref();
  const stopReportingLag = consumerLag().add(() =>
    lagByPartition.map(({ partition, lag: behind }) => ({
      labels: { group: options.groupId, topic: options.topic, partition: String(partition) },
      value: behind,
    })),
  );
  const caughtUp = (): boolean => target.readyWithinMessages === undefined || (lag !== undefined && lag <= target.readyWithinMessages);

  const start = (): void => {
    restarting = false;
    if (closed) return;
    log.info(where, `${name} consumer connecting to Kafka at ${brokers.join(',')} (topic ${options.topic}, group ${options.groupId})`);
    void kafka.then((client) => {
      if (closed) return;
      const started = new KafkaEventConsumer({ ...options, kafka: client, logger: log });
      consumer = started;
      started.start().catch((error: unknown) => replace(started, error));
    });
  };
  start();

  return {
    checks: () => ({ kafkaConsumer: member && Date.now() - heardAt <= SILENT_FOR_MS && caughtUp() ? 'ok' : 'unavailable' }),
    async close() {
      closed = true;
      member = false;
      clearTimeout(timer);
      clearInterval(lagTimer);
      stopReportingLag();
      await consumer?.stop();
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
