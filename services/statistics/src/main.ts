// The statistics service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3005); KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1),
// LAPOR_CONSUMER_GROUP (lapor.statistics). Without KAFKA_BROKERS its projection follows the event log
// in the shared database instead, as in the embedded gateway.
import { kafkaFeedEnvironment, keepConsuming } from '@lapor/consumer-kit';
import { runServiceAlone } from '@lapor/http-kit';
import { COMPLAINT_EVENTS_TOPIC as DEFAULT_TOPIC } from '@lapor/complaint-event-message';
import { PROJECTION_NAME } from '@lapor/statistics';
import { openStatistics, type OpenedStatistics } from './open';
import { statisticsRoutes } from './plugin';

const KafkaEnvironment = kafkaFeedEnvironment({ topic: DEFAULT_TOPIC, groupId: `lapor.${PROJECTION_NAME}` });

const parsed = KafkaEnvironment.safeParse(process.env);
if (!parsed.success) {
  console.error(`statistics: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId } = parsed.data;

runServiceAlone<OpenedStatistics>({
  name: 'statistics',
  defaultPort: 3005,
  tags: [{ name: 'statistics', description: 'Recap tables officials report' }],
  open: ({ context, db, log }) => openStatistics(context, db, { feed: brokers ? 'external' : 'event-log', log }),
  plugin: statisticsRoutes,
  start: async ({ db, log, opened }) =>
    keepConsuming({ brokers, log, whileDown: 'the tables stop moving meanwhile' }, { topic, groupId, db, handler: opened.handler, topicSettings: parsed.data }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
