import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { OpenedScheduler } from './open';
import { schedulerHttpRoutes } from './routes';

export interface SchedulerOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** What `openScheduler` returned: the policy and calendar the routes show and change. */
  readonly opened: Pick<OpenedScheduler, 'policy' | 'calendar'>;
}

/**
 * The scheduler's routes: the policy, the calendar, a complaint's timers. Only routes: registering
 * them touches no table and reads no stream (`openScheduler` does), so the gateway declares them
 * with nothing opened for the API document and for forwarding.
 */
export async function schedulerRoutes(app: FastifyInstance, options: SchedulerOptions): Promise<void> {
  const { context, db, opened } = options;
  await app.register(schedulerHttpRoutes, { context, db, policy: opened.policy, calendar: opened.calendar });
}
