// The relay as a process: DATABASE_URL, KAFKA_BROKERS, LAPOR_TOPIC (lapor.complaint-events.v1),
// PORT (3010) for /health/live, /health/ready and /metrics, LAPOR_RELAY_BATCH_SIZE (500).
import { COMPLAINT_EVENTS_TOPIC } from '@lapor/complaint-event-message';
import { createPostgresEventStore } from '@lapor/event-store';
import { createPgRunner } from '@lapor/sql';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { Kafka, logLevel } from 'kafkajs';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import pino from 'pino';
import { z } from 'zod';

const Environment = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string'),
  KAFKA_BROKERS: z.string().min(1, 'host:port[,host:port…]'),
  LAPOR_TOPIC: z.string().min(1).default(COMPLAINT_EVENTS_TOPIC),
  PORT: z.coerce.number().int().min(1).max(65535).default(3010),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Events read and sent per batch. */
  LAPOR_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Ready means caught up to within this many seconds. */
  LAPOR_RELAY_READY_LAG_SECONDS: z.coerce.number().min(0).default(30),
});

async function main(): Promise<void> {
  const parsed = Environment.safeParse(process.env);
  if (!parsed.success) {
    console.error(`relay: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    process.exit(2);
  }
  const config = parsed.data;
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'relay' } });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection dropped'));
  const store = await createPostgresEventStore({ pool });
  const checkpoints = await CheckpointStore.open(createPgRunner(pool, { ownsPool: false }));
  const kafka = new Kafka({ clientId: 'lapor-relay', brokers: config.KAFKA_BROKERS.split(','), logLevel: logLevel.WARN });
  const relay = new Relay({ store, checkpoints, kafka, logger, topic: config.LAPOR_TOPIC, batchSize: config.LAPOR_RELAY_BATCH_SIZE });
  await relay.start();

  const server = createServer((request, response) => {
    const status = relay.status();
    if (request.url === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(
        [
          '# HELP lapor_relay_lag_events Events in the log not yet acknowledged by Kafka.',
          '# TYPE lapor_relay_lag_events gauge',
          `lapor_relay_lag_events ${status.lagEvents}`,
          '# HELP lapor_relay_lag_seconds Age of the oldest event not yet acknowledged by Kafka.',
          '# TYPE lapor_relay_lag_seconds gauge',
          `lapor_relay_lag_seconds ${status.lagSeconds.toFixed(3)}`,
          '# HELP lapor_relay_published_total Complaint events published since start.',
          '# TYPE lapor_relay_published_total counter',
          `lapor_relay_published_total ${status.published}`,
          '',
        ].join('\n'),
      );
      return;
    }
    const ready = request.url === '/health/ready' ? status.lastError === null && status.lagSeconds <= config.LAPOR_RELAY_READY_LAG_SECONDS : true;
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        status: ready ? 'ok' : 'unavailable',
        lagEvents: status.lagEvents,
        lagSeconds: status.lagSeconds,
        published: status.published,
        kafkaAvailable: status.kafkaAvailable,
        lastError: status.lastError,
      }),
    );
  });
  server.listen(config.PORT, () => logger.info({ port: config.PORT, topic: config.LAPOR_TOPIC }, 'relay up'));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'relay stopping');
      server.close();
      void relay
        .stop()
        .then(() => store.close())
        .then(() => pool.end())
        .finally(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
