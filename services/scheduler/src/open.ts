import { reportTimers } from '@lapor/metrics';
import { CalendarSource } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { createTimerPlanner, replanWaiting } from './planner';
import { PolicySource } from './sources';
import { TimerSweeper } from './sweeper';
import { prepareSchedulerTables, SCHEDULER_SCHEMA } from './tables';

export interface OpenSchedulerOptions {
  /** 'event-log': the planner follows the store in this process once started; 'external': a Kafka consumer feeds `planner`. */
  readonly feed: 'event-log' | 'external';
  /** Sweep here once started; several instances may, each fires what it claims. */
  readonly sweep: boolean;
  readonly sweepEveryMs?: number;
  /**
   * The database has one connection, which a transaction holds to its end (embedded PGlite): a
   * sweep held open would block the very append its timer makes. The sweeper then claims without a
   * transaction, which is safe only because such a database has this one process, so one sweeper.
   */
  readonly singleConnection?: boolean;
  readonly log: FastifyBaseLogger;
}

export type OpenedScheduler = Awaited<ReturnType<typeof openScheduler>>;

/**
 * The scheduler opened: its tables made, its policy and calendar read, the planner (fed from the
 * log here or from Kafka by main.ts) and the sweeper that fires what is due on the context's clock
 * (the wall clock, or a test's). The routes and the planner share one policy and calendar, so a
 * change made through the API is planned with at once.
 */
export async function openScheduler(context: WorkflowContext, db: SqlRunner, options: OpenSchedulerOptions) {
  const { log } = options;
  await prepareAppliedPositions(db);
  await prepareSchedulerTables(db);
  const policy = await PolicySource.open(context.store);
  const calendar = await CalendarSource.for(context.store);
  const deps = { tree: () => context.directory.tree, calendar: () => calendar.get(), policy: () => policy.get() };
  const planner = context.directory.followedBy(createTimerPlanner(deps));
  // a new year of holidays: the timers that waited for it get their deadlines
  calendar.onChange(() => void replanWaiting(db, deps).catch(() => undefined));
  const sweeper = options.sweep
    ? new TimerSweeper({
        db: options.singleConnection ? withoutTransactions(db) : db,
        repository: context.repository,
        calendar: () => calendar.get(),
        now: () => new Date(context.now()),
        ...(options.singleConnection ? { batchesAtOnce: 1 } : {}),
        log,
      })
    : undefined;
  let following: ReturnType<typeof followEventLog> | undefined;
  let refreshing: NodeJS.Timeout | undefined;
  let stopReporting: (() => void) | undefined;
  const opened = {
    policy,
    calendar,
    planner,
    start() {
      if (refreshing) return;
      // due and overdue timers on /metrics, on the clock the sweeper fires by
      stopReporting = reportTimers(db, `${SCHEDULER_SCHEMA}.timers`, () => new Date(context.now()));
      if (options.feed === 'event-log') {
        following = followEventLog(context.store, db, planner, {
          onError: (error) => log.error({ err: error }, 'timer planner stopped on an event; it resumes from its applied positions'),
        });
      }
      sweeper?.start(options.sweepEveryMs);
      // another instance may have changed the policy or the calendar: pick that up every little while
      refreshing = setInterval(
        () =>
          void Promise.all([policy.refresh(), calendar.refresh()]).catch((error: unknown) =>
            log.warn({ err: error }, 'could not refresh the SLA policy or calendar; keeping the ones loaded'),
          ),
        10_000,
      );
      refreshing.unref();
    },
    async close() {
      stopReporting?.();
      clearInterval(refreshing);
      await sweeper?.stop();
      await following?.close();
    },
  } satisfies OpenedService & Record<string, unknown>;
  return opened;
}

/** Each statement on its own; see `singleConnection`. */
function withoutTransactions(db: SqlRunner): SqlRunner {
  return {
    query: <Row>(sql: string, params?: readonly unknown[]) => db.query<Row>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) => fn(db),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    notify: (channel, payload) => db.notify(channel, payload),
    close: () => db.close(),
  };
}
