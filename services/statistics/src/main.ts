// The statistics service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3005); KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1),
// LAPOR_CONSUMER_GROUP (lapor.statistics). Without KAFKA_BROKERS its projection follows the event log
// in the shared database instead, as in the embedded gateway.
import { KafkaEventConsumer, type KafkaEventConsumerOptions } from '@lapor/consumer-kit';
import { runServiceAlone, type BackgroundWork } from '@lapor/http-kit';
import { DEFAULT_TOPIC } from '@lapor/relay';
import { PROJECTION_NAME } from '@lapor/statistics';
import type { FastifyBaseLogger } from 'fastify';
import { Kafka, logLevel, type Consumer, type ConsumerConfig } from 'kafkajs';
import { z } from 'zod';
import { statisticsProjectionFor, statisticsRoutes } from './plugin';

const KafkaEnvironment = z.object({
  KAFKA_BROKERS: z
    .string()
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1, 'host:port[,host:port…]'))
    .optional(),
  LAPOR_TOPIC: z.string().min(1).default(DEFAULT_TOPIC),
  LAPOR_CONSUMER_GROUP: z.string().min(1).default(`lapor.${PROJECTION_NAME}`),
});

const parsed = KafkaEnvironment.safeParse(process.env);
if (!parsed.success) {
  console.error(`statistics: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId } = parsed.data;

runServiceAlone({
  name: 'statistics',
  defaultPort: 3005,
  tags: [{ name: 'statistics', description: 'Recap tables officials report' }],
  plugin: (app, { context, db }) => statisticsRoutes(app, { context, db, feed: brokers ? 'external' : 'event-log' }),
  async start({ context, db, log }) {
    if (!brokers) {
      log.warn(
        'KAFKA_BROKERS is not set: the statistics projection follows the event log in DATABASE_URL directly; ' +
          `set KAFKA_BROKERS to consume ${topic} from Kafka as the distributed deployment does`,
      );
      return { close: async () => undefined };
    }
    // fastify's logger is a pino logger, which is what the consumer logs through
    const logger = log as unknown as KafkaEventConsumerOptions['logger'];
    return keepConsuming({ brokers, log }, { topic, groupId, db, logger, handler: statisticsProjectionFor(context) });
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The projection's Kafka consumer, kept running: a start that fails (the broker is not up yet) or a
 * crash kafkajs does not restart by itself is retried with a growing pause. Ready while the
 * consumer is a member of its group; kafkajs reports that through the consumer's events, so the
 * consumer-kit is given a Kafka client that listens to each consumer it makes.
 */
function keepConsuming(
  target: { brokers: string[]; log: FastifyBaseLogger },
  options: Omit<KafkaEventConsumerOptions, 'kafka'> & { groupId: string },
): BackgroundWork {
  const { brokers, log } = target;
  const where = { brokers, topic: options.topic, groupId: options.groupId };
  let member = false;
  let closed = false;
  let restarting = false;
  let wait = 1_000;
  let timer: NodeJS.Timeout | undefined;
  let consumer: KafkaEventConsumer | undefined;

  // Replaces `failed` after a pause; once only, however many ways it reports failing.
  const replace = (failed: KafkaEventConsumer | undefined, reason: unknown): void => {
    member = false;
    if (closed || restarting || failed !== consumer) return;
    restarting = true;
    log.error(
      { ...where, err: reason, retryInMs: wait },
      `statistics consumer cannot consume ${options.topic} from Kafka at ${brokers.join(',')}; retrying (check KAFKA_BROKERS and that the brokers are up)`,
    );
    const stopping = failed?.stop() ?? Promise.resolve();
    timer = setTimeout(() => void stopping.finally(start), wait);
    wait = Math.min(wait * 2, 30_000);
  };

  class WatchedKafka extends Kafka {
    override consumer(config: ConsumerConfig): Consumer {
      const owner = consumer; // KafkaEventConsumer.start makes its consumer here
      const made = super.consumer(config);
      made.on(made.events.GROUP_JOIN, ({ payload }) => {
        if (!member) {
          log.info(
            { ...where, memberId: payload.memberId, deadLetterTopic: owner?.deadLetterTopic },
            `statistics consumer joined group ${options.groupId} on ${options.topic}; events that keep failing go to ${owner?.deadLetterTopic}`,
          );
        }
        member = true;
        wait = 1_000;
      });
      made.on(made.events.DISCONNECT, () => (member = false));
      // restart: true means kafkajs rejoins by itself; otherwise this consumer is done and is replaced
      made.on(made.events.CRASH, ({ payload }) => (payload.restart ? (member = false) : replace(owner, payload.error)));
      return made;
    }
  }
  const kafka = new WatchedKafka({ clientId: `lapor-${options.groupId}`, brokers, logLevel: logLevel.WARN });

  const start = (): void => {
    restarting = false;
    if (closed) return;
    log.info(where, `statistics consumer connecting to Kafka at ${brokers.join(',')} (topic ${options.topic}, group ${options.groupId})`);
    const started = new KafkaEventConsumer({ ...options, kafka });
    consumer = started;
    started.start().catch((error: unknown) => replace(started, error));
  };
  start();

  return {
    checks: () => ({ kafkaConsumer: member ? 'ok' : 'unavailable' }),
    async close() {
      closed = true;
      member = false;
      clearTimeout(timer);
      await consumer?.stop();
    },
  };
}
