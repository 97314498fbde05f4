/**
 * Every metric a LAPOR! process exports under its own name, in one place: the processes register
 * them from here, and infra/observability's dashboard and alert rules are checked against this list
 * (test/observability.spec.ts), so a rule never watches a metric nobody exports.
 */
export const METRIC = {
  /** HTTP requests by method, route template (never the raw URL: ids would explode the series) and status. */
  httpRequestDuration: 'lapor_http_request_duration_seconds',
  /** One appendToStream, from call to answer, by outcome (ok, conflict, error). */
  appendDuration: 'lapor_event_store_append_duration_seconds',
  /** Appends refused for another writer's version: each is a 409 to a caller. */
  appendConflicts: 'lapor_event_store_append_conflicts_total',
  /** Events of the log a read model fed in this process has not applied (counted up to its readiness bound + 1). */
  readModelLagEvents: 'lapor_read_model_lag_events',
  /** How long the oldest event a read model has not applied has been in the log (0 when caught up). */
  readModelLagSeconds: 'lapor_read_model_lag_seconds',
  /** Messages a Kafka consumer group has yet to apply, per partition. */
  kafkaConsumerLag: 'lapor_kafka_consumer_lag_messages',
  /** Events set aside for an operator: a Kafka dead-letter topic, or a complaint parked by a log follower. */
  deadLetters: 'lapor_dead_letters_total',
  /** Messages waiting to be sent, per outbox (sms, webhooks). */
  outboxDepth: 'lapor_outbox_depth',
  /** Age of the oldest message waiting, per outbox (0 when empty). */
  outboxOldestAge: 'lapor_outbox_oldest_age_seconds',
  /** SLA timers due now and not yet fired. */
  timersDue: 'lapor_timers_due',
  /** SLA timers due for longer than the scheduler's firing interval allows: the scheduler is behind or stopped. */
  timersOverdue: 'lapor_timers_overdue',
  /** The relay (services/relay): events committed to the log and not yet acknowledged by Kafka. */
  relayLagEvents: 'lapor_relay_lag_events',
  relayLagSeconds: 'lapor_relay_lag_seconds',
  relayPublished: 'lapor_relay_published_total',
  /** Statements this process sent to the PostgreSQL server (each a round trip), by kind: statement, or transaction control (BEGIN, COMMIT, ROLLBACK). */
  dbStatements: 'lapor_db_statements_total',
  /** prom-client's process metrics, kept under their usual names. */
  residentMemory: 'process_resident_memory_bytes',
  eventLoopDelayP99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
