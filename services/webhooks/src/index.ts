export { webhookRoutes, type WebhookOptions } from './plugin';
export { openWebhooks, type OpenedWebhooks, type OpenWebhooksOptions } from './open';
export { createWebhookEnqueuer, ENQUEUER_NAME } from './enqueuer';
export { WebhookDispatcher, type DispatcherOptions, type DispatchResult } from './dispatcher';
export { DEFAULT_DELIVERY_POLICY, pauseReason, retryDelayMs, type DeliveryPolicy } from './policy';
export { deliveredEvent, deliveryBody, publicData, type DeliveredEvent } from './payload';
export {
  DELIVERY_ID_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  GLOBAL_POSITION_HEADER,
  REPLAY_HEADER,
  SIGNATURE_HEADER,
  signDelivery,
  TIMESTAMP_HEADER,
  verifyDelivery,
} from './signing';
export { receiverUrlProblem } from './receiver-url';
export { DestinationPolicy, parseNetworks } from './destinations';
export { receiverRouteOptions, receiverRules, ReceiverSettings, type ReceiverRules } from './receiver-settings';
export { guardedFetch } from './guarded-fetch';
export { replayEvents, type ReplayFrom } from './replay';
export { Subscriptions, type SubscriptionView } from './subscriptions';
export { prepareWebhookTables, WEBHOOKS_CHANNEL, WEBHOOKS_SCHEMA } from './tables';
