import { CalendarSource } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions, type EventHandler } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import { createStatisticsProjection, keepWorkingDaysCounted, prepareStatisticsTables } from '@lapor/statistics';
import type { FastifyBaseLogger } from 'fastify';

export interface OpenStatisticsOptions {
  /**
   * Where the projection gets its events: 'event-log' follows the store in this process once
   * started (the embedded default); 'external' leaves feeding `handler` to someone else (the Kafka
   * consumer of the service run alone).
   */
  readonly feed: 'event-log' | 'external';
  readonly log: FastifyBaseLogger;
}

export interface OpenedStatistics extends OpenedService {
  /** The projection the tables are fed by, for whoever feeds it. */
  readonly handler: EventHandler;
}

/**
 * The statistics read model opened: its tables made (dropped and refilled when their shape
 * changed), the projection ready, counting working days with the calendar the scheduler sets
 * deadlines with (bundled years plus recorded ones) and again when a year is recorded.
 */
export async function openStatistics(context: WorkflowContext, db: SqlRunner, options: OpenStatisticsOptions): Promise<OpenedStatistics> {
  const { log } = options;
  await prepareAppliedPositions(db);
  const { reset } = await prepareStatisticsTables(db);
  if (reset) log.warn('statistics tables had another shape: dropped; they fill again from the events (behind Kafka, run the rebuild)');
  const calendar = await CalendarSource.for(context.store);
  const tree = () => context.directory.tree;
  calendar.follow((error) => log.warn({ err: error }, 'could not read recorded calendar years; counting with the ones loaded'));
  const recounting = await keepWorkingDaysCounted(db, calendar, { tree }, (error) =>
    log.error({ err: error }, 'could not count working days again with a newly recorded calendar year; they are counted at the next start'),
  );
  const handler = context.directory.followedBy(createStatisticsProjection({ tree, calendar: () => calendar.get() }));
  let following: ReturnType<typeof followEventLog> | undefined;
  return {
    handler,
    start() {
      if (options.feed !== 'event-log' || following) return;
      following = followEventLog(context.store, db, handler, {
        onError: (error) => log.error({ err: error }, 'statistics projection stopped on an event; it resumes from its applied positions on restart'),
      });
    },
    async close() {
      calendar.stop();
      recounting.stop();
      await following?.close();
    },
  };
}
