import { CalendarSource } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import { createStatisticsProjection, keepWorkingDaysCounted, prepareStatisticsTables } from '@lapor/statistics';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
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
}

/**
 * The projection the statistics tables are fed by, for whoever feeds it (this plugin, or a Kafka
 * consumer). It counts working days with the calendar the scheduler sets deadlines with (bundled
 * years plus recorded ones), and counts again what was unknown when a year is recorded.
 */
export async function openStatisticsProjection(context: WorkflowContext, db: SqlRunner, log: FastifyBaseLogger) {
  const calendar = await CalendarSource.for(context.store);
  const tree = () => context.directory.tree;
  calendar.follow((error) => log.warn({ err: error }, 'could not read recorded calendar years; counting with the ones loaded'));
  const recounting = await keepWorkingDaysCounted(db, calendar, { tree }, (error) =>
    log.error({ err: error }, 'could not count working days again with a newly recorded calendar year; they are counted at the next start'),
  );
  return {
    handler: createStatisticsProjection({ tree, calendar: () => calendar.get() }),
    close(): void {
      calendar.stop();
      recounting.stop();
    },
  };
}

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
    const projection = await openStatisticsProjection(context, db, app.log);
    const following = followEventLog(context.store, db, projection.handler, {
      onError: (error) => app.log.error({ err: error }, 'statistics projection stopped on an event; it resumes from its applied positions on restart'),
    });
    app.addHook('onClose', async () => {
      projection.close();
      await following.close();
    });
  }

  const sources = () => ({ db, store: context.store, tree: context.directory.tree });
  await app.register(tableRoutes, { sources, now: context.now });
  await app.register(exportRoutes, { sources, now: context.now });
}
