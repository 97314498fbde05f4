export { smsRoutes, type SmsOptions } from './plugin';
export { openSms, type OpenedSms, type OpenSmsOptions } from './open';
export { DEFAULT_KEYWORDS, DEMO_NTT_INSTANSI_ID, smsConfigFromEnv, SmsConfigError, type OutboundConfig, type SmsConfig } from './config';
export { createSmsNotifier, noticeFor, NOTIFIER_NAME, SMS_ACTOR_PREFIX } from './notify/notifier';
export { OutboxDispatcher, type DispatcherOptions, type DispatchResult } from './outbox/dispatcher';
export { HttpSmsSender, type OutgoingSms, type SendOutcome, type SmsSender } from './outbox/sender';
export { parseSms, titleOf, type RegionalKeywords, type SmsIntent } from './grammar/parse';
export { normalisePhone, type E164 } from './phone/e164';
export { reporterKeyFromMasterKey, reporterRefForPhone } from './phone/reporter-ref';
export { segmentSms, type Segmented, type SmsEncoding } from './segments/segment';
export { PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, TIMESTAMP_HEADER, verifySmsWebhook } from './inbound/signature';
export { INBOUND_PATH } from './inbound/routes';
export { prepareSmsTables, SMS_SCHEMA } from './tables';

/**
 * Log paths that would carry an SMS sender's number or words if anything logged a request body or
 * an identity: for the logger's redact list beside http-kit's REDACTED_PATHS. This service logs
 * neither; the list is the second line of defence.
 */
export const SMS_REDACTED_PATHS = ['req.body.from', 'req.body.text', 'phone', '*.phone'];
