export { HttpProblem, Problem, PROBLEM_BASE, PROBLEM_CONTENT_TYPE, forbidden, invalidField, notFound, problemHandlers, unauthorized } from './problem';
export {
  API_KEY_HEADER,
  REPORTER_SECRET_HEADER,
  requireIntegration,
  reporterFromSecret,
  reporterRefForSecret,
  requireStaff,
  signStaffToken,
  staffSession,
  PASSWORD_CHANGE_ROUTE,
  staffAuthentication,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  type AuthOptions,
  type StaffActor,
  type StaffClaims,
  type StaffSession,
} from './auth';
export { provenCaller, type ProvenCaller } from './authenticate';
export { CallerVouching, VOUCHED_CALLER_HEADER } from './vouched-caller';
export { warnAboutServerSettings } from './server-settings';
export { PUBLIC_BUDGET } from './public-budget';
export { ANSWERS_ETAG, documentWebhooks, fileSchema, nameSchemas, type SchemaDoc } from './openapi';
export { commandMetadata, nodeRefOrNull, type WorkflowContext } from './context';
export { ifMatchVersion, setVersion } from './versioning';
export { canRead, loadReadable } from './scope';
export { CommandAccepted, ComplaintParams, runStaffCommand } from './staff-command';
export { commandIdOf, IDEMPOTENCY_HEADER, IdempotencyTtlHours, idempotency } from './idempotency';
export {
  buildServiceApp,
  buildServiceEdge,
  openWorkflowContext,
  type ServiceApp,
  type ServiceAppOptions,
  type ServiceEdgeOptions,
  type WorkflowPlugin,
} from './service-app';
export { notOpened } from './not-opened';
export { runWithApp, type OpenedService } from './opened-service';
export { healthRoutes } from './health';
export { buildOperationsEdge, closeGracefully, type OperationsEdgeOptions, type Readiness } from './operations-edge';
export { REDACTED_PATHS, runServiceAlone, type AloneOptions, type AlonePlugin, type AloneServices, type BackgroundWork } from './run-alone';
export { answerEdgeErrorsAs, type EdgeErrorFormat } from './edge-errors';
export { storableTextValidatorCompiler, unstorableText } from './storable-text';
export { openEmbeddedStores, openServerStores, type Stores } from './stores';
export { TrustedProxies } from './trust-proxy';
export { CircuitBreaker } from './circuit-breaker';
export { httpMetrics, instrumentedEventStore } from './metrics';
export { READ_AFTER_WAIT_MS, ReadAfter, readAfterWrite, waitForWrite, type AppliedVersionOf } from './read-after';
export { acceptUploads, AttachmentRef, COMMAND_FIELD, refOf, discardUploads, receiveUploads, withUploads, type UploadTarget } from './uploads';
export { configProblemLine, maskedSettings, maskUrlPasswords, printConfigIfAsked, settingsOrExit, PRINT_CONFIG_FLAG, TracingSettings } from './settings';
export { CITIZEN_FACING, problemLanguage } from './problem-language';
export { badCursor, decodeKeyCursor, encodeKeyCursor, linkToNext, NextCursor, PAGED, pageByKey, pageCursor, pageLimit } from './paging';
