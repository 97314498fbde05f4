// The SMS 1708 channel alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3007); LAPOR_SMS_PROVIDERS (name:secret,…), LAPOR_SMS_OUTBOUND_URL (+ _TOKEN, _TIMEOUT_MS),
// LAPOR_SMS_KEYWORDS (KEYWORD:instansi-id,…; default NTT:pemprov-ntt), LAPOR_SMS_MAX_PARTS (5),
// LAPOR_SMS_REPORTER_KEY (else derived from LAPOR_MASTER_KEY), LAPOR_SMS_RETRY_FIRST_MS / _MAX_MS,
// LAPOR_SMS_GIVE_UP_AFTER_HOURS (72), LAPOR_SMS_DISPATCH_EVERY_MS (1000); KAFKA_BROKERS, LAPOR_TOPIC
// (lapor.complaint-events.v1), LAPOR_CONSUMER_GROUP (lapor.sms-notifier). Without KAFKA_BROKERS the
// notifier follows the event log in the shared database instead. Every copy sends from the outbox:
// a batch is claimed FOR UPDATE SKIP LOCKED, so no message goes twice.
import { KafkaEventConsumer, type KafkaEventConsumerOptions } from '@lapor/consumer-kit';
import { runServiceAlone, type BackgroundWork } from '@lapor/http-kit';
import { DEFAULT_TOPIC } from '@lapor/relay';
import type { FastifyBaseLogger } from 'fastify';
import { Kafka, logLevel, type Consumer, type ConsumerConfig } from 'kafkajs';
import { z } from 'zod';
import { smsConfigFromEnv, SmsConfigError, type SmsConfig } from './config';
import { createSmsNotifier, NOTIFIER_NAME } from './notify/notifier';
import { smsRoutes } from './plugin';

const Environment = z.object({
  KAFKA_BROKERS: z
    .string()
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1, 'host:port[,host:port…]'))
    .optional(),
  LAPOR_TOPIC: z.string().min(1).default(DEFAULT_TOPIC),
  LAPOR_CONSUMER_GROUP: z.string().min(1).default(`lapor.${NOTIFIER_NAME}`),
});

const parsed = Environment.safeParse(process.env);
if (!parsed.success) {
  console.error(`sms: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId } = parsed.data;
let config: SmsConfig;
try {
  config = smsConfigFromEnv(process.env);
} catch (error) {
  console.error(error instanceof SmsConfigError ? error.message : error);
  process.exit(2);
}

runServiceAlone({
  name: 'sms',
  defaultPort: 3007,
  tags: [{ name: 'sms', description: 'SMS 1708: the gateway provider’s webhook, replies and status notices by SMS' }],
  plugin: (app, { context, db }) => smsRoutes(app, { context, db, config, feed: brokers ? 'external' : 'event-log', dispatch: true }),
  async start({ context, db, log }) {
    log.info(
      { providers: [...config.providers.keys()], keywords: Object.fromEntries(config.keywords), outbound: config.outbound ? new URL(config.outbound.url).origin : null },
      `sms: ${config.providers.size} provider(s) may post to /channels/sms/inbound; replies go to ${config.outbound ? new URL(config.outbound.url).origin : 'nowhere yet (LAPOR_SMS_OUTBOUND_URL)'}`,
    );
    if (!brokers) {
      log.warn(
        'KAFKA_BROKERS is not set: the sms notifier follows the event log in DATABASE_URL directly; ' +
          `set KAFKA_BROKERS to consume ${topic} from Kafka as the distributed deployment does`,
      );
      return { close: async () => undefined };
    }
    // fastify's logger is a pino logger, which is what the consumer logs through
    const logger = log as unknown as KafkaEventConsumerOptions['logger'];
    const handler = createSmsNotifier({ tree: () => context.directory.tree });
    return keepConsuming({ brokers, log }, { topic, groupId, db, logger, handler });
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The notifier's Kafka consumer, kept running: a start that fails (the broker is not up yet) or a
 * crash kafkajs does not restart by itself is retried with a growing pause; ready while a member of
 * its group. The same as in services/statistics and services/scheduler: it belongs in consumer-kit.
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

  const replace = (failed: KafkaEventConsumer | undefined, reason: unknown): void => {
    member = false;
    if (closed || restarting || failed !== consumer) return;
    restarting = true;
    log.error(
      { ...where, err: reason, retryInMs: wait },
      `sms notifier cannot consume ${options.topic} from Kafka; retrying (check KAFKA_BROKERS); no status notices are queued meanwhile, replies still go out`,
    );
    const stopping = failed?.stop() ?? Promise.resolve();
    timer = setTimeout(() => void stopping.finally(start), wait);
    wait = Math.min(wait * 2, 30_000);
  };

  class WatchedKafka extends Kafka {
    override consumer(config: ConsumerConfig): Consumer {
      const owner = consumer;
      const made = super.consumer(config);
      made.on(made.events.GROUP_JOIN, ({ payload }) => {
        if (!member) log.info({ ...where, memberId: payload.memberId, deadLetterTopic: owner?.deadLetterTopic }, `sms notifier joined group ${options.groupId}`);
        member = true;
        wait = 1_000;
      });
      made.on(made.events.DISCONNECT, () => (member = false));
      made.on(made.events.CRASH, ({ payload }) => (payload.restart ? (member = false) : replace(owner, payload.error)));
      return made;
    }
  }
  const kafka = new WatchedKafka({ clientId: `lapor-${options.groupId}`, brokers, logLevel: logLevel.WARN });

  const start = (): void => {
    restarting = false;
    if (closed) return;
    log.info(where, `sms notifier connecting to Kafka at ${brokers.join(',')}`);
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
