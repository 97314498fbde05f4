export * from './port';
export { createPostgresEventStore, type PostgresEventStoreOptions } from './drivers/postgres';
export { createPGliteEventStore, type PGliteEventStoreOptions } from './drivers/pglite';
export { appendOrigin, originOf, withOrigin, type Origin } from './origin';
export { DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from './group-commit';
