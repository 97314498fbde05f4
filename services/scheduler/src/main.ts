// The scheduler alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// PORT (default 3006); KAFKA_BROKERS (host:port,…), LAPOR_TOPIC (lapor.complaint-events.v1),
// LAPOR_CONSUMER_GROUP (lapor.scheduler), LAPOR_SWEEP_EVERY_MS (1000). Without KAFKA_BROKERS its
// planner follows the event log in the shared database instead, as in the embedded gateway. Every
// copy sweeps: a batch of due timers is claimed FOR UPDATE SKIP LOCKED, so no timer fires twice.
import { kafkaFeedEnvironment, keepConsuming } from '@lapor/consumer-kit';
import { runServiceAlone } from '@lapor/http-kit';
import { COMPLAINT_EVENTS_TOPIC as DEFAULT_TOPIC } from '@lapor/complaint-event-message';
import { z } from 'zod';
import { openScheduler, type OpenedScheduler } from './open';
import { schedulerRoutes } from './plugin';

const Environment = kafkaFeedEnvironment({ topic: DEFAULT_TOPIC, groupId: 'lapor.scheduler' }).extend({
  /** The longest pause between sweeps; a timer due sooner is swept when it falls due. */
  LAPOR_SWEEP_EVERY_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
});

const parsed = Environment.safeParse(process.env);
if (!parsed.success) {
  console.error(`scheduler: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: groupId, LAPOR_SWEEP_EVERY_MS: sweepEveryMs } = parsed.data;

runServiceAlone<OpenedScheduler>({
  name: 'scheduler',
  defaultPort: 3006,
  tags: [{ name: 'scheduler', description: 'SLA deadlines: the policy, the holiday calendar, a complaint’s timers' }],
  open: ({ context, db, log }) => openScheduler(context, db, { feed: brokers ? 'external' : 'event-log', sweep: true, sweepEveryMs, log }),
  plugin: schedulerRoutes,
  async start({ db, log, opened }) {
    log.info(
      { sweepEveryMs },
      `scheduler sweeping due timers at least every ${sweepEveryMs} ms on the wall clock; other copies sweep too, each firing what it claims`,
    );
    return keepConsuming(
      { brokers, log, whileDown: 'no timers are planned meanwhile, those planned still fire' },
      { topic, groupId, db, handler: opened.planner, topicSettings: parsed.data },
    );
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
