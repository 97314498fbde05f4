import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import { CategoryCatalog } from '@lapor/workflow';
import type { FastifyInstance } from 'fastify';
import { exportRoutes } from './routes/export';
import { tableRoutes } from './routes/tables';

export interface StatisticsOptions {
  readonly context: WorkflowContext;
  /** The database the read model lives in, opened (`openStatistics`) before requests come. */
  readonly db: SqlRunner;
}

/**
 * Statistics: the tables officials report, read from their read model. Only routes: registering
 * them touches no table (`openStatistics` makes and feeds them), so the gateway declares them with
 * nothing opened for the API document and for forwarding.
 */
export async function statisticsRoutes(app: FastifyInstance, options: StatisticsOptions): Promise<void> {
  const { context, db } = options;
  // the taxonomy followed like the tree: a category added or renamed elsewhere is read at the next request
  const catalog = new CategoryCatalog(context.store);
  const categories = async () => (await catalog.latest()).taxonomy;
  const sources = () => ({ db, store: context.store, tree: context.directory.tree, treeAt: (moment: Date) => context.directory.treeAt(moment), categories });
  await app.register(tableRoutes, { sources, now: context.now });
  await app.register(exportRoutes, { sources, now: context.now });
}
