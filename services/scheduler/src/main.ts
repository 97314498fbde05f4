// The scheduler alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3006); KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1),
// LAPOR_CONSUMER_GROUP (lapor.scheduler), LAPOR_SWEEP_EVERY_MS (1000). Without KAFKA_BROKERS its
// planner follows the event log in the shared database instead, as in the embedded gateway. Every
// copy sweeps: a batch of due timers is claimed FOR UPDATE SKIP LOCKED, so no timer fires twice.
import { KafkaEventConsumer, type EventHandler, type KafkaEventConsumerOptions } from '@lapor/consumer-kit';
import { runServiceAlone, type BackgroundWork } from '@lapor/http-kit';
import { DEFAULT_TOPIC } from '@lapor/relay';
import type { FastifyBaseLogger } from 'fastify';
import { Kafka, logLevel, type Consumer, type ConsumerConfig } from 'kafkajs';
import { z } from 'zod';
import { openScheduler, schedulerRoutes, type OpenedScheduler } from './plugin';

const Environment = z.object({
  KAFKA_BROKERS: z
    .string()
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1, 'host:port[,host:port…]'))
    .optional(),
  LAPOR_TOPIC: z.string().min(1).default(DEFAULT_TOPIC),
  LAPOR_CONSUMER_GROUP: z.string().min(1).default('lapor.scheduler'),
  /** The longest pause between sweeps; a timer due sooner is swept when it falls due. */
  LAPOR_SWEEP_EVERY_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
});

const parsed = Environment.safeParse(process.env);
if (!parsed.success) {
  console.error(`scheduler: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId, LAPOR_SWEEP_EVERY_MS: sweepEveryMs } = parsed.data;

// opened by the routes' plugin, fed by the Kafka consumer: one policy and calendar for both
let opened: OpenedScheduler | undefined;

runServiceAlone({
  name: 'scheduler',
  defaultPort: 3006,
  tags: [{ name: 'scheduler', description: 'SLA deadlines: the policy, the holiday calendar, a complaint’s timers' }],
  async plugin(app, { context, db }) {
    opened = await openScheduler(context, db);
    await schedulerRoutes(app, { context, db, opened, feed: brokers ? 'external' : 'event-log', sweep: true, sweepEveryMs });
  },
  async start({ db, log }) {
    log.info({ sweepEveryMs }, `scheduler sweeping due timers at least every ${sweepEveryMs} ms on the wall clock; other copies sweep too, each firing what it claims`);
    if (!brokers) {
      log.warn(
        'KAFKA_BROKERS is not set: the timer planner follows the event log in DATABASE_URL directly; ' +
          `set KAFKA_BROKERS to consume ${topic} from Kafka as the distributed deployment does`,
      );
      return { close: async () => undefined };
    }
    // fastify's logger is a pino logger, which is what the consumer logs through
    const logger = log as unknown as KafkaEventConsumerOptions['logger'];
    return keepConsuming({ brokers, log }, { topic, groupId, db, logger, handler: plannerOf(opened) });
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

function plannerOf(scheduler: OpenedScheduler | undefined): EventHandler {
  if (!scheduler) throw new Error('scheduler: the planner is opened by the routes plugin, which has not run');
  return scheduler.planner;
}

/**
 * The planner's Kafka consumer, kept running: a start that fails (the broker is not up yet) or a
 * crash kafkajs does not restart by itself is retried with a growing pause. Ready while the
 * consumer is a member of its group; kafkajs reports that through the consumer's events, so the
 * consumer-kit is given a Kafka client that listens to each consumer it makes.
 *
 * The same as services/statistics/src/main.ts but for the name in its log lines; both belong in
 * @lapor/consumer-kit once it takes a logger of its own.
 */
function keepConsuming(
  target: { brokers: string[]; log: FastifyBaseLogger },
  options: Omit<KafkaEventConsumerOptions, 'kafka'> & { groupId: string },
): BackgroundWork {
  const { brokers, log } = target;
  const name = options.handler.name;
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
      `${name} consumer cannot consume ${options.topic} from Kafka at ${brokers.join(',')}; retrying (check KAFKA_BROKERS and that the brokers are up); no timers are planned meanwhile, those planned still fire`,
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
            `${name} consumer joined group ${options.groupId} on ${options.topic}; events that keep failing go to ${owner?.deadLetterTopic}`,
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
    log.info(where, `${name} consumer connecting to Kafka at ${brokers.join(',')} (topic ${options.topic}, group ${options.groupId})`);
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
