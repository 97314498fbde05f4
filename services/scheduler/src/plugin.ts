import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { SqlQueryable, SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { createTimerPlanner, replanWaiting } from './planner';
import { schedulerHttpRoutes } from './routes';
import { CalendarSource } from '@lapor/calendar';
import { PolicySource } from './sources';
import { TimerSweeper } from './sweeper';
import { prepareSchedulerTables } from './tables';

export interface SchedulerOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** 'event-log': the planner follows the store in this process; 'external': a Kafka consumer feeds it. */
  readonly feed?: 'event-log' | 'external';
  /** Run the sweeper here (default true); several instances may, each fires what it claims. */
  readonly sweep?: boolean;
  readonly sweepEveryMs?: number;
  /**
   * Opened already (`openScheduler`) by whoever also feeds the planner from Kafka (main.ts): the
   * planner and the routes then share one policy and calendar, so a change is planned with at once.
   */
  readonly opened?: OpenedScheduler;
  /**
   * The database has one connection, which a transaction holds to its end (embedded PGlite): a
   * sweep held open would block the very append its timer makes. The sweeper then claims without a
   * transaction, which is safe only because such a database has this one process, so one sweeper.
   */
  readonly singleConnection?: boolean;
}

export type OpenedScheduler = Awaited<ReturnType<typeof openScheduler>>;

/** The parts of a running scheduler, for whoever runs it (the plugin, or main.ts with Kafka). */
export async function openScheduler(context: WorkflowContext, db: SqlRunner) {
  await prepareAppliedPositions(db);
  await prepareSchedulerTables(db);
  const policy = await PolicySource.open(context.store);
  const calendar = await CalendarSource.for(context.store);
  const deps = { tree: () => context.directory.tree, calendar: () => calendar.get(), policy: () => policy.get() };
  const planner = createTimerPlanner(deps);
  // a new year of holidays: the timers that waited for it get their deadlines
  calendar.onChange(() => void replanWaiting(db, deps).catch(() => undefined));
  return { policy, calendar, planner };
}

/**
 * The scheduler: plans timers from complaint events and fires them on the context's clock (the wall
 * clock, or a test's). Its routes: the policy, the calendar, a complaint's timers.
 */
export async function schedulerRoutes(app: FastifyInstance, options: SchedulerOptions): Promise<void> {
  const { context, db } = options;
  const { policy, calendar, planner } = options.opened ?? (await openScheduler(context, db));
  if ((options.feed ?? 'event-log') === 'event-log') {
    const following = followEventLog(context.store, db, planner, {
      onError: (error) => app.log.error({ err: error }, 'timer planner stopped on an event; it resumes from its applied positions'),
    });
    app.addHook('onClose', () => following.close());
  }
  if (options.sweep ?? true) {
    const sweeper = new TimerSweeper({
      db: options.singleConnection ? withoutTransactions(db) : db,
      repository: context.repository,
      calendar: () => calendar.get(),
      now: () => new Date(context.now()),
      log: app.log,
    });
    sweeper.start(options.sweepEveryMs);
    app.addHook('onClose', () => sweeper.stop());
  }
  // another instance may have changed the policy or the calendar: pick that up every little while
  const refreshing = setInterval(
    () =>
      void Promise.all([policy.refresh(), calendar.refresh()]).catch((error: unknown) =>
        app.log.warn({ err: error }, 'could not refresh the SLA policy or calendar; keeping the ones loaded'),
      ),
    10_000,
  );
  refreshing.unref();
  app.addHook('onClose', async () => clearInterval(refreshing));
  await app.register(schedulerHttpRoutes, { context, db, policy, calendar });
}

/** Each statement on its own; see `singleConnection`. */
function withoutTransactions(db: SqlRunner): SqlRunner {
  return {
    query: <Row>(sql: string, params?: readonly unknown[]) => db.query<Row>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) => fn(db),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
