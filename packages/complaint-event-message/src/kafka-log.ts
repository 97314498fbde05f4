import type { LogEntry, logCreator, logLevel } from 'kafkajs';

// kafkajs' levels by number, so that a process which never talks to Kafka (the embedded gateway)
// need not load kafkajs for this module; `satisfies` keeps them equal to its enum
const LEVEL = { NOTHING: 0, ERROR: 1, WARN: 2 } as const satisfies Record<string, logLevel>;

/** Where kafkajs' lines go: pino's logger and fastify's both fit. */
export interface KafkaLogSink {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Answers kafkajs logs at level ERROR although it retries them by itself: a topic's partitions still
 * electing leaders, a group's coordinator moving or loading, a rebalance. They come at every start and
 * every broker restart; as error lines they would teach an operator to ignore error lines. If they
 * last, the retries run out and the real error that follows stays an error.
 */
const SETTLING = [
  'This server does not host this topic-partition',
  'There is no leader for this topic-partition',
  'This server is not the leader for that topic-partition',
  'The coordinator is not available',
  'This is not the correct coordinator',
  'The coordinator is loading',
  'The group is rebalancing',
];

/** Whether kafkajs failed with one of the SETTLING conditions (the broker or group still settling). */
export function isSettlingKafkaError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return SETTLING.some((settling) => text.includes(settling));
}

/** The level a kafkajs line is logged at here. */
export function levelOfKafkaLine(entry: Pick<LogEntry, 'level' | 'log'>): 'error' | 'warn' | 'info' {
  const text = `${entry.log.message} ${typeof entry.log.error === 'string' ? entry.log.error : ''}`;
  if (SETTLING.some((settling) => text.includes(settling))) return 'info';
  if (entry.level === LEVEL.ERROR || entry.level === LEVEL.NOTHING) return 'error';
  return entry.level === LEVEL.WARN ? 'warn' : 'info';
}

/** A kafkajs logCreator writing to `sink` as JSON lines of the process's own logger. */
export function kafkaLogCreator(sink: KafkaLogSink): logCreator {
  return () => (entry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...details } = entry.log;
    sink[levelOfKafkaLine(entry)]({ kafka: entry.namespace, ...details }, `kafka: ${message}`);
  };
}
