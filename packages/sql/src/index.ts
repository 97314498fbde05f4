// @lapor/sql: the one seam to PostgreSQL every package shares, embedded (PGlite) or server (pg):
// a runner with transactions and LISTEN, and the tables kept beside the events.
export { isUniqueViolation, PLANNED_PER_CALL, plannedPerCall, type DatabaseErrorFields, type SqlQueryable, type SqlRunner } from './runner';
export { createPgRunner, SERVER_POOL_OPTIONS } from './pg-runner';
export { createPGliteRunner } from './pglite-runner';
export { openPGlite, PGLITE_TEMPLATE_VARIABLE } from './private-pglite';
export { BulkInsert, rowLoader, rowsAsJson, type RowLoader } from './bulk-insert';
export { checkSchemaName, ensureSchema, quotedSchema, SCHEMA_LOCK_CLASS } from './schema';
