export * from './port';
export { createPostgresEventStore, type PostgresEventStoreOptions } from './drivers/postgres';
export { createPGliteEventStore, type PGliteEventStoreOptions } from './drivers/pglite';
export type { GroupCommitOptions } from './group-commit';
