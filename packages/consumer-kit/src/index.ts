export { applyOnce, forgetConsumer, prepareAppliedPositions, type EventHandler } from './apply-once';
export type { EventEnvelope } from './envelope';
export { DEAD_LETTER_HEADERS, KafkaEventConsumer, type DeadLetterReason, type FeedLog, type KafkaEventConsumerOptions } from './kafka-consumer';
export { followEventLog } from './log-follower';
export { prepareReadModelTables, type ReadModelTables } from './read-model-tables';
export { followReadModel, type FollowedReadModel, type ReadModelReadiness } from './followed-read-model';
export { replayDeadLetters } from './replay';
export { groupLag, kafkaFeedEnvironment, keepConsuming, type KeptConsumer } from './kept-consumer';
