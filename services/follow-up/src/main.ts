// The follow-up service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3004);
// KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1), LAPOR_CONSUMER_GROUP (lapor.inbox).
// Its inbox read model consumes the topic; without KAFKA_BROKERS it follows the event log in the shared
// database instead, as in the embedded gateway.
import { COMPLAINT_EVENTS_TOPIC as DEFAULT_TOPIC } from '@lapor/complaint-event-message';
import { kafkaFeedEnvironment, keepConsuming } from '@lapor/consumer-kit';
import { runServiceAlone } from '@lapor/http-kit';
import { INBOX_READY_WITHIN_EVENTS, openInbox, type OpenedInbox } from './inbox/open';
import { INBOX_PROJECTION } from './inbox/tables';
import { followUpRoutes } from './plugin';

const KafkaEnvironment = kafkaFeedEnvironment({ topic: DEFAULT_TOPIC, groupId: `lapor.${INBOX_PROJECTION}` });

const parsed = KafkaEnvironment.safeParse(process.env);
if (!parsed.success) {
  console.error(`follow-up: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId } = parsed.data;

runServiceAlone<OpenedInbox>({
  name: 'follow-up',
  defaultPort: 3004,
  tags: [{ name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' }],
  open: ({ context, db, log }) => openInbox(context, db, { log, feed: brokers ? 'external' : 'event-log' }),
  plugin: (app, { context, opened }) => followUpRoutes(app, { context, inbox: opened }),
  // /health/ready: 503 while the inbox trails the log (or the topic) by more than its bound
  start: async ({ db, log, opened }) => {
    if (!brokers) return { checks: () => opened.lastReadiness(), close: async () => undefined };
    const consuming = keepConsuming(
      { brokers, log, whileDown: 'the inbox stops moving meanwhile', readyWithinMessages: INBOX_READY_WITHIN_EVENTS },
      { topic, groupId, db, handler: opened.handler, topicSettings: parsed.data },
    );
    return { checks: () => ({ inbox: consuming.checks().kafkaConsumer! }), close: () => consuming.close() };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
