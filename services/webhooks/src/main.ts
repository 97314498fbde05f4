// The webhooks service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3008); KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1),
// LAPOR_CONSUMER_GROUP (lapor.webhooks). Without KAFKA_BROKERS the outbox follows the event log in
// the shared database instead, as in the embedded gateway. Every copy dispatches: deliveries are
// claimed FOR UPDATE SKIP LOCKED and leased, so no delivery goes out from two copies at once.
// Delivery: LAPOR_WEBHOOK_TIMEOUT_MS, LAPOR_WEBHOOK_MAX_ATTEMPTS, LAPOR_WEBHOOK_RETRY_BASE_MS,
// LAPOR_WEBHOOK_RETRY_MAX_MS, LAPOR_WEBHOOK_PAUSE_AFTER_FAILURES, LAPOR_WEBHOOK_PAUSE_AFTER_MS,
// LAPOR_WEBHOOK_DISPATCH_EVERY_MS, LAPOR_WEBHOOK_CONCURRENCY; LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST
// (true lets subscribers register http://localhost URLs: development and tests only);
// LAPOR_WEBHOOK_ALLOW_NETWORKS (CIDRs, comma separated: non-public networks receivers may be in, e.g.
// 127.0.0.1/32 for a developer's receiver; default none: deliveries go to public addresses only).
import { kafkaFeedEnvironment, keepConsuming } from '@lapor/consumer-kit';
import { runServiceAlone } from '@lapor/http-kit';
import { COMPLAINT_EVENTS_TOPIC as DEFAULT_TOPIC } from '@lapor/complaint-event-message';
import { z } from 'zod';
import { ENQUEUER_NAME } from './enqueuer';
import { openWebhooks, type OpenedWebhooks } from './open';
import { webhookRoutes } from './plugin';
import { receiverRouteOptions, receiverRules, ReceiverSettings } from './receiver-settings';
import { DEFAULT_DELIVERY_POLICY } from './policy';

const milliseconds = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const Environment = kafkaFeedEnvironment({ topic: DEFAULT_TOPIC, groupId: `lapor.${ENQUEUER_NAME}` }).extend({
  LAPOR_WEBHOOK_TIMEOUT_MS: milliseconds(DEFAULT_DELIVERY_POLICY.timeoutMs, 100, 60_000),
  LAPOR_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULT_DELIVERY_POLICY.maxAttempts),
  LAPOR_WEBHOOK_RETRY_BASE_MS: milliseconds(DEFAULT_DELIVERY_POLICY.retryBaseMs, 10, 3_600_000),
  LAPOR_WEBHOOK_RETRY_MAX_MS: milliseconds(DEFAULT_DELIVERY_POLICY.retryMaxMs, 10, 86_400_000),
  LAPOR_WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_DELIVERY_POLICY.pauseAfterFailures),
  LAPOR_WEBHOOK_PAUSE_AFTER_MS: milliseconds(DEFAULT_DELIVERY_POLICY.pauseAfterMs, 1_000, 7 * 86_400_000),
  LAPOR_WEBHOOK_DISPATCH_EVERY_MS: milliseconds(1_000, 50, 60_000),
  LAPOR_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  ...ReceiverSettings,
});

const parsed = Environment.safeParse(process.env);
if (!parsed.success) {
  console.error(`webhooks: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const env = parsed.data;
const brokers = env.KAFKA_BROKERS;
const receivers = receiverRouteOptions(receiverRules(env));
const { destinations } = receivers;
const policy = {
  timeoutMs: env.LAPOR_WEBHOOK_TIMEOUT_MS,
  maxAttempts: env.LAPOR_WEBHOOK_MAX_ATTEMPTS,
  retryBaseMs: env.LAPOR_WEBHOOK_RETRY_BASE_MS,
  retryMaxMs: env.LAPOR_WEBHOOK_RETRY_MAX_MS,
  pauseAfterFailures: env.LAPOR_WEBHOOK_PAUSE_AFTER_FAILURES,
  pauseAfterMs: env.LAPOR_WEBHOOK_PAUSE_AFTER_MS,
};

runServiceAlone<OpenedWebhooks>({
  name: 'webhooks',
  defaultPort: 3008,
  tags: [{ name: 'webhooks', description: 'Agency systems told of their complaints’ events: subscriptions, deliveries, replay' }],
  open: ({ context, db, log }) =>
    openWebhooks(context, db, {
      feed: brokers ? 'external' : 'event-log',
      dispatch: true,
      dispatchEveryMs: env.LAPOR_WEBHOOK_DISPATCH_EVERY_MS,
      policy,
      dispatcher: { concurrency: env.LAPOR_WEBHOOK_CONCURRENCY, destinations },
      log,
    }),
  plugin: (app, { context, db, opened }) => webhookRoutes(app, { context, db, opened, ...receivers }),
  async start({ db, log, opened }) {
    log.info(
      { policy, concurrency: env.LAPOR_WEBHOOK_CONCURRENCY, allowedNetworks: destinations.allowedNetworks },
      'webhooks dispatching the outbox; other copies dispatch too, each posting what it claims',
    );
    if (env.LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST === 'true')
      log.warn('LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST=true: subscribers may register plain-http localhost URLs; never in production');
    return keepConsuming(
      { brokers, log, whileDown: 'no new events are queued for webhooks meanwhile; those queued still go out' },
      { topic: env.LAPOR_TOPIC, groupId: env.LAPOR_CONSUMER_GROUP, db, handler: opened.enqueuer, topicSettings: env },
    );
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
