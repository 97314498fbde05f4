// The SMS 1708 channel alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3007); LAPOR_SMS_PROVIDERS (name:secret,…), LAPOR_SMS_OUTBOUND_URL (+ _TOKEN, _TIMEOUT_MS),
// LAPOR_SMS_KEYWORDS (KEYWORD:instansi-id,…; default NTT:pemprov-ntt), LAPOR_SMS_MAX_PARTS (5),
// LAPOR_SMS_REPORTER_KEY (else derived from LAPOR_MASTER_KEY), LAPOR_SMS_RETRY_FIRST_MS / _MAX_MS,
// LAPOR_SMS_GIVE_UP_AFTER_HOURS (72), LAPOR_SMS_DISPATCH_EVERY_MS (1000); KAFKA_BROKERS, LAPOR_TOPIC
// (lapor.complaint-events.v1), LAPOR_CONSUMER_GROUP (lapor.sms-notifier). Without KAFKA_BROKERS the
// notifier follows the event log in the shared database instead. Every copy sends from the outbox:
// a batch is claimed FOR UPDATE SKIP LOCKED, so no message goes twice.
import { kafkaFeedEnvironment, keepConsuming } from '@lapor/consumer-kit';
import { runServiceAlone } from '@lapor/http-kit';
import { COMPLAINT_EVENTS_TOPIC as DEFAULT_TOPIC } from '@lapor/complaint-event-message';
import { smsConfigFromEnv, SmsConfigError, type SmsConfig } from './config';
import { NOTIFIER_NAME } from './notify/notifier';
import { openSms, type OpenedSms } from './open';
import { smsRoutes } from './plugin';

const Environment = kafkaFeedEnvironment({ topic: DEFAULT_TOPIC, groupId: `lapor.${NOTIFIER_NAME}` });

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

runServiceAlone<OpenedSms>({
  name: 'sms',
  defaultPort: 3007,
  tags: [{ name: 'sms', description: 'SMS 1708: the gateway provider’s webhook, replies and status notices by SMS' }],
  open: ({ context, db, log }) => openSms(context, db, { config, feed: brokers ? 'external' : 'event-log', dispatch: true, now: () => new Date(), log }),
  plugin: (app, { context, db, opened }) => smsRoutes(app, { context, db, config, opened }),
  async start({ db, log, opened }) {
    log.info(
      {
        providers: [...config.providers.keys()],
        keywords: Object.fromEntries(config.keywords),
        outbound: config.outbound ? new URL(config.outbound.url).origin : null,
      },
      `sms: ${config.providers.size} provider(s) may post to /channels/sms/inbound; replies go to ${config.outbound ? new URL(config.outbound.url).origin : 'nowhere yet (LAPOR_SMS_OUTBOUND_URL)'}`,
    );
    return keepConsuming(
      { brokers, log, whileDown: 'no status notices are queued meanwhile, replies still go out' },
      { topic, groupId, db, handler: opened.notifier, topicSettings: parsed.data },
    );
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
