export { CheckpointStore } from './checkpoint';
export { toKafkaMessage } from './messages';
export { DEFAULT_TOPIC, Relay, type RelayOptions, type RelayStatus } from './relay';
