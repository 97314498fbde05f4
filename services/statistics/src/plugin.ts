import type { Calendar } from '@lapor/calendar';
import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/event-store';
import type { WorkflowContext } from '@lapor/http-kit';
import { createStatisticsProjection, prepareStatisticsTables } from '@lapor/statistics';
import type { FastifyInstance } from 'fastify';
import { exportRoutes } from './routes/export';
import { tableRoutes } from './routes/tables';

export interface StatisticsOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /**
   * Where the projections get their events: 'event-log' follows the store in this process (the
   * embedded default); 'external' leaves feeding them to someone else (the Kafka consumer of the
   * service run alone).
   */
  readonly feed?: 'event-log' | 'external';
  /** Working days for the within-N-days columns (default: the bundled holiday calendar). */
  readonly calendar?: Calendar;
}

/** The projection the statistics tables are fed by, for whoever feeds it (this plugin, or a Kafka consumer). */
export const statisticsProjectionFor = (context: WorkflowContext, calendar: Calendar = loadCalendar()) =>
  createStatisticsProjection({ tree: () => context.directory.tree, calendar });

/**
 * Statistics: the tables officials report, from their read model. In one process the projection
 * follows the event log directly; run alone, the same handler runs on Kafka.
 */
export async function statisticsRoutes(app: FastifyInstance, options: StatisticsOptions): Promise<void> {
  const { context, db } = options;
  await prepareAppliedPositions(db);
  const { reset } = await prepareStatisticsTables(db);
  if (reset) app.log.warn('statistics tables had another shape: dropped; they fill again from the events (behind Kafka, run the rebuild)');
  if ((options.feed ?? 'event-log') === 'event-log') {
    const following = followEventLog(context.store, db, statisticsProjectionFor(context, options.calendar), {
      onError: (error) => app.log.error({ err: error }, 'statistics projection stopped on an event; it resumes from its applied positions on restart'),
    });
    app.addHook('onClose', () => following.close());
  }

  const sources = () => ({ db, store: context.store, tree: context.directory.tree });
  await app.register(tableRoutes, { sources, now: context.now });
  await app.register(exportRoutes, { sources, now: context.now });
}
