import { METRIC } from './names';
import { sampledGauge, type Sample } from './registry';

/** What a scrape-time read needs of a database: one query. */
export interface Queryable {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Counted no further: a scrape stays one bounded read however far behind the sender is. */
export const COUNTED_UP_TO = 100_000;

const outboxDepth = () => sampledGauge(METRIC.outboxDepth, `Messages waiting to be sent, per outbox (counted up to ${COUNTED_UP_TO}).`, ['outbox']);
const outboxOldestAge = () => sampledGauge(METRIC.outboxOldestAge, 'Seconds the oldest waiting message has waited, per outbox (0 when empty).', ['outbox']);

/**
 * Reports an outbox's depth and oldest age at each scrape, from `table`'s rows where `waiting` holds
 * (a SQL condition), aged by `createdColumn`. The returned function stops reporting it.
 */
export function reportOutbox(db: Queryable, outbox: string, table: string, waiting: string, createdColumn: string): () => void {
  // one read serves both gauges of a scrape (prom-client collects them side by side)
  let reading: { at: number; result: Promise<{ depth: number; oldestSeconds: number }> } | undefined;
  const read = (): Promise<{ depth: number; oldestSeconds: number }> => {
    if (reading && Date.now() - reading.at < 1_000) return reading.result;
    const result = db
      .query<{ depth: string | number; oldest: Date | string | null }>(
        `SELECT count(*) AS depth, min(created) AS oldest FROM (SELECT ${createdColumn} AS created FROM ${table} WHERE ${waiting} LIMIT ${COUNTED_UP_TO}) AS waiting`,
      )
      .then(([row]) => {
        const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
        return { depth: Number(row?.depth ?? 0), oldestSeconds: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) / 1000 };
      });
    reading = { at: Date.now(), result };
    return result;
  };
  const labels = { outbox };
  const removeDepth = outboxDepth().add(async (): Promise<Array<Sample<'outbox'>>> => [{ labels, value: (await read()).depth }]);
  const removeAge = outboxOldestAge().add(async (): Promise<Array<Sample<'outbox'>>> => [{ labels, value: (await read()).oldestSeconds }]);
  return () => {
    removeDepth();
    removeAge();
  };
}

const timersDue = () => sampledGauge(METRIC.timersDue, `SLA timers due and not yet fired (counted up to ${COUNTED_UP_TO}).`, []);
const timersOverdue = () =>
  sampledGauge(
    METRIC.timersOverdue,
    `SLA timers due for over a minute and not yet fired: the scheduler is behind or stopped (counted up to ${COUNTED_UP_TO}).`,
    [],
  );

/** A timer due this long and still pending means no sweeper is firing (they sweep every second or so). */
export const OVERDUE_AFTER_SECONDS = 60;

/** Reports the timers in `table` (status 'pending', due_at) due and overdue on the clock `now`. */
export function reportTimers(db: Queryable, table: string, now: () => Date): () => void {
  const count = async (before: Date): Promise<number> => {
    const [row] = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE status = 'pending' AND due_at <= $1 LIMIT ${COUNTED_UP_TO}) AS due`,
      [before.toISOString()],
    );
    return Number(row?.n ?? 0);
  };
  const removeDue = timersDue().add(async () => [{ labels: {}, value: await count(now()) }]);
  const removeOverdue = timersOverdue().add(async () => [{ labels: {}, value: await count(new Date(now().getTime() - OVERDUE_AFTER_SECONDS * 1000)) }]);
  return () => {
    removeDue();
    removeOverdue();
  };
}
