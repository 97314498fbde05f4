export * from './port';
export { createPostgresEventStore, type PostgresEventStoreOptions } from './drivers/postgres';
export { createPGliteEventStore, type PGliteEventStoreOptions } from './drivers/pglite';
// The SQL seam the drivers share, for packages that keep their own tables beside the events
// (idempotency keys, data keys) on the same database, embedded or server.
export type { SqlQueryable, SqlRunner } from './sql-runner';
export { isUniqueViolation } from './sql-runner';
export { ensureSchema } from './sql/migrate';
export { createPgRunner } from './drivers/pg-runner';
export { createPGliteRunner } from './drivers/pglite';
