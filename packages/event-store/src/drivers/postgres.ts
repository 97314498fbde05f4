import { Pool } from 'pg';
import { DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from '../group-commit';
import type { EventStore } from '../port';
import { DEFAULT_SCHEMA } from '../sql/identifiers';
import { openEventStore } from '../store';
import { createPgRunner, SERVER_POOL_OPTIONS } from '@lapor/sql';

interface CommonOptions {
  /** Where the tables live (default `eventstore`). */
  readonly schema?: string;
  /** Apply pending migrations on start (default true). */
  readonly migrate?: boolean;
  /**
   * How concurrent appends share commits (default `DEFAULT_GROUP_COMMIT`: two batches in flight; an
   * idle store sends an append at once, so a lone writer waits for nothing). false: each commits alone.
   */
  readonly groupCommit?: GroupCommitOptions | false;
}

export type PostgresEventStoreOptions = CommonOptions &
  (
    | { readonly connectionString: string; readonly pool?: never; /** Connections in the store's own pool (default 10). */ readonly poolSize?: number }
    | { /** A pool you own: the store does not end it. */ readonly pool: Pool; readonly connectionString?: never }
  );

/** The event store on a PostgreSQL server (the distributed deployment). */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore> {
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, ...SERVER_POOL_OPTIONS });
  // An idle pooled connection that drops must not crash the process; the next query reconnects.
  if (ownsPool) pool.on('error', () => undefined);
  const runner = createPgRunner(pool, { ownsPool });
  try {
    // on unless turned off: every service and gateway on PostgreSQL shares commits without asking
    const groupCommit = options.groupCommit === false ? undefined : (options.groupCommit ?? DEFAULT_GROUP_COMMIT);
    return await openEventStore(runner, { schema: options.schema ?? DEFAULT_SCHEMA, migrate: options.migrate, groupCommit });
  } catch (error) {
    await runner.close();
    throw error;
  }
}
