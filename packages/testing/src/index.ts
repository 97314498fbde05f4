export { createTestDatabase, type TestDatabase } from './database';
export { readTopicUntil, testKafkaBrokers } from './kafka';
export { discoverPostgres, discoverKafka, discoverS3, type Discovered } from './discovery';
export { repoRoot } from './repo-root';
export { DeciderSpecification, type Decider, type GivenClause, type WhenClause } from './decider-spec';
export { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
export { interleavedLog } from './interleaved-log';
