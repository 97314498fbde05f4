export { applyOnce, prepareAppliedPositions, type EventHandler } from './apply-once';
export { envelopeFromKafka, type EventEnvelope } from './envelope';
export { KafkaEventConsumer, type KafkaEventConsumerOptions } from './kafka-consumer';
export { followEventLog } from './log-follower';
export { replayDeadLetters } from './replay';
export { kafkaFeedEnvironment, keepConsuming, type FeedLog, type KeptConsumer } from './kept-consumer';
