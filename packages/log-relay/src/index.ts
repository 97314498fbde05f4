export { CheckpointStore } from './checkpoint';
export { Relay, type RelayOptions, type RelayStatus } from './relay';
