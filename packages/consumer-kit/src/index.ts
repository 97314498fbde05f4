export {
  applyOnce,
  appliedVersion,
  complaintsStoredBefore,
  forgetConsumer,
  isFirstEventOfComplaint,
  prepareAppliedPositions,
  type EventHandler,
  type InEventTrace,
} from './apply-once';
export type { EventEnvelope } from './envelope';
export { DEAD_LETTER_HEADERS, KafkaEventConsumer, type DeadLetterReason, type FeedLog, type KafkaEventConsumerOptions } from './kafka-consumer';
export { followEventLog } from './log-follower';
export { inKeyOrder } from './key-order';
export { prepareReadModelTables, readModelTablesLock, type ReadModelTables } from './read-model-tables';
export { followReadModel, type FollowedReadModel, type ReadModelReadiness } from './followed-read-model';
export { replayDeadLetters } from './replay';
export { groupLag, kafkaFeedEnvironment, keepConsuming, type KeptConsumer } from './kept-consumer';
export {
  rebuildReadModel,
  type RebuildableReadModel,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
  type ShadowTables,
  type ShadowWriter,
} from './rebuild';
export { progressLine, rebuildWithReport } from './rebuild-progress';
