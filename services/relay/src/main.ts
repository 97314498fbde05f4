// The relay as a process: DATABASE_URL, KAFKA_BROKERS, LAPOR_TOPIC (lapor.complaint-events.v1), which it
// provisions with LAPOR_TOPIC_PARTITIONS (12), LAPOR_TOPIC_REPLICATION (1) and LAPOR_TOPIC_RETENTION_MS (-1: kept),
// PORT (3010) and HOST for /health/live, /health/ready and /metrics on the HTTP edge every service has,
// LAPOR_RELAY_BATCH_SIZE (500), LAPOR_RELAY_READY_LAG_SECONDS (30), LAPOR_RELAY_PUBLISH_STALLED_MS (2000:
// a publish Kafka has not acknowledged for this long makes the relay not ready). SIGTERM stops it gracefully.
import { METRIC } from '@lapor/metrics';
import { COMPLAINT_EVENTS_TOPIC, kafkaLogCreator, TopicSettings } from '@lapor/complaint-event-message';
import { createPostgresEventStore } from '@lapor/event-store';
import { createPgRunner, SERVER_POOL_OPTIONS } from '@lapor/sql';
import { buildOperationsEdge, closeGracefully, printConfigIfAsked, settingsOrExit, TracingSettings, type Readiness } from '@lapor/http-kit';
import { startTracing } from '@lapor/tracing';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import { z } from 'zod';

const Environment = TopicSettings.extend({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string'),
  KAFKA_BROKERS: z.string().min(1, 'host:port[,host:port…]'),
  LAPOR_TOPIC: z.string().min(1).default(COMPLAINT_EVENTS_TOPIC),
  PORT: z.coerce.number().int().min(1).max(65535).default(3010),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Events read and sent per batch. */
  LAPOR_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Ready means caught up to within this many seconds. */
  LAPOR_RELAY_READY_LAG_SECONDS: z.coerce.number().min(0).default(30),
  /** Not ready while a publish has waited this long for Kafka's acknowledgement. */
  LAPOR_RELAY_PUBLISH_STALLED_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  ...TracingSettings,
});

async function main(): Promise<void> {
  const config = settingsOrExit('relay', Environment, process.env);
  printConfigIfAsked('relay', config);
  const tracing = startTracing(config.OTEL_SERVICE_NAME ?? 'relay', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  // the edge first: its logger is the process's, and it answers "not ready" until the relay runs
  const started: { relay?: Relay } = {};
  const app = await buildOperationsEdge({
    name: 'relay',
    logLevel: config.LOG_LEVEL,
    readiness: () => readinessOf(started.relay?.status(), config.LAPOR_RELAY_READY_LAG_SECONDS),
    metrics: () => (started.relay ? relayMetrics(started.relay.status()) : ''),
  });
  const logger = app.log;
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4, ...SERVER_POOL_OPTIONS });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection dropped'));
  const store = await createPostgresEventStore({ pool });
  const checkpoints = await CheckpointStore.open(createPgRunner(pool, { ownsPool: false }));
  const kafka = new Kafka({ clientId: 'lapor-relay', brokers: config.KAFKA_BROKERS.split(','), logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger) });
  const running = new Relay({
    store,
    checkpoints,
    kafka,
    logger,
    topic: config.LAPOR_TOPIC,
    batchSize: config.LAPOR_RELAY_BATCH_SIZE,
    publishStalledAfterMs: config.LAPOR_RELAY_PUBLISH_STALLED_MS,
    topicSettings: config,
    partitioner: Partitioners.DefaultPartitioner,
  });
  started.relay = running;
  await running.start();
  // the relay first (its checkpoint writes through the pool), the pool last
  closeGracefully(app, [() => running.stop(), () => app.close(), () => store.close(), () => pool.end(), () => tracing.shutdown()]);
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, topic: config.LAPOR_TOPIC }, 'relay up');
}

/** Ready means publishing, and caught up to within the configured lag. */
function readinessOf(status: ReturnType<Relay['status']> | undefined, readyLagSeconds: number): Readiness {
  if (!status) return { ready: false, details: { lastError: 'starting' } };
  return {
    ready: status.lagKnown && status.lastError === null && status.lagSeconds <= readyLagSeconds,
    details: {
      lagEvents: status.lagEvents,
      lagSeconds: status.lagSeconds,
      published: status.published,
      kafkaAvailable: status.kafkaAvailable,
      lastError: status.lastError,
    },
  };
}

/** Prometheus text: the lag operators alert on, and what was published since start. */
function relayMetrics(status: ReturnType<Relay['status']>): string {
  return [
    `# HELP ${METRIC.relayLagEvents} Events in the log not yet acknowledged by Kafka.`,
    `# TYPE ${METRIC.relayLagEvents} gauge`,
    `${METRIC.relayLagEvents} ${status.lagEvents}`,
    `# HELP ${METRIC.relayLagSeconds} Age of the oldest event not yet acknowledged by Kafka.`,
    `# TYPE ${METRIC.relayLagSeconds} gauge`,
    `${METRIC.relayLagSeconds} ${status.lagSeconds.toFixed(3)}`,
    `# HELP ${METRIC.relayPublished} Complaint events published since start.`,
    `# TYPE ${METRIC.relayPublished} counter`,
    `${METRIC.relayPublished} ${status.published}`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
