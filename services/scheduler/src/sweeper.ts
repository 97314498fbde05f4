import { mapLimit } from '@lapor/consumer-kit';
import type { Calendar, IndonesianZone } from '@lapor/calendar';
import { DomainError, type ComplaintState } from '@lapor/domain';
import { WrongExpectedVersionError, type SqlRunner } from '@lapor/event-store';
import { commandFor, type PlannedTimer, type TimerKind } from '@lapor/scheduling';
import type { ComplaintRepository } from '@lapor/workflow';
import { SCHEDULER_SCHEMA } from './tables';

export interface SweeperOptions {
  readonly db: SqlRunner;
  readonly repository: ComplaintRepository;
  readonly calendar: () => Calendar;
  /** The clock: the wall clock in production, a hand-moved one in tests. */
  readonly now: () => Date;
  /** Timers claimed per transaction (default 500). */
  readonly batchSize?: number;
  /** Timers fired at once within a batch (default 16). */
  readonly concurrency?: number;
  readonly log?: { info(object: object, message: string): void; error(object: object, message: string): void };
  readonly schema?: string;
}

export interface SweepResult {
  /** Appended an event. */
  readonly fired: number;
  /** The complaint moved on since the timer was planned; the planner plans again from the new state. */
  readonly stale: number;
  /** The decider said the moment has passed (stage met, request answered, a reply came). */
  readonly refused: number;
  /** Could not be tried (the store was unavailable): still pending, tried on the next sweep. */
  readonly failed: number;
}

type Outcome = { status: 'fired' | 'stale' | 'refused'; outcome: string } | { status: 'pending'; outcome: string };

interface DueRow {
  key: string;
  complaint_id: string;
  kind: TimerKind;
  stage: PlannedTimer['stage'];
  clock_started_at: Date | string;
  deadline_at: Date | string;
  due_at: Date | string;
  subject_id: string | null;
  stage_ended_at: Date | string | null;
  zone: IndonesianZone;
  planned_version: string | number;
  state: ComplaintState;
}

const isoOf = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * Fires what is due, oldest first, in batches. Each batch is claimed with FOR UPDATE SKIP LOCKED,
 * so two schedulers never fire one timer; each timer runs its command through the decider on the
 * state it was planned from and appends with that version, its event ids derived from the timer,
 * so a scheduler that crashes after the append and before marking fires it again harmlessly.
 */
export class TimerSweeper {
  private readonly schema: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: SweeperOptions) {
    this.schema = options.schema ?? SCHEDULER_SCHEMA;
  }

  async sweep(): Promise<SweepResult> {
    const totals = { fired: 0, stale: 0, refused: 0, failed: 0 };
    const batchSize = this.options.batchSize ?? 500;
    for (;;) {
      const claimed = await this.sweepBatch(batchSize, totals);
      if (claimed < batchSize || totals.failed > 0) return totals;
    }
  }

  private async sweepBatch(batchSize: number, totals: { fired: number; stale: number; refused: number; failed: number }): Promise<number> {
    const now = this.options.now();
    return this.options.db.transaction(async (tx) => {
      const due = await tx.query<DueRow>(
        `SELECT t.key, t.complaint_id, t.kind, t.stage, t.clock_started_at, t.deadline_at, t.due_at, t.subject_id, t.stage_ended_at, t.zone, t.planned_version, s.state
         FROM ${this.schema}.timers t JOIN ${this.schema}.complaint_state s USING (complaint_id)
         WHERE t.status = 'pending' AND t.due_at <= $1
         ORDER BY t.due_at LIMIT $2
         FOR UPDATE OF t SKIP LOCKED`,
        [now.toISOString(), batchSize],
      );
      if (due.length === 0) return 0;
      const outcomes = await mapLimit(due, this.options.concurrency ?? 16, (row) => this.fire(row, now));
      const settled = due.map((row, index) => ({ key: row.key, ...outcomes[index]! })).filter((entry) => entry.status !== 'pending');
      for (const entry of outcomes) totals[entry.status === 'pending' ? 'failed' : entry.status]++;
      if (settled.length > 0) {
        await tx.query(
          `UPDATE ${this.schema}.timers AS t SET status = o.status, outcome = o.outcome, fired_at = $4
           FROM unnest($1::text[], $2::text[], $3::text[]) AS o(key, status, outcome) WHERE t.key = o.key`,
          [settled.map((entry) => entry.key), settled.map((entry) => entry.status), settled.map((entry) => entry.outcome), now.toISOString()],
        );
      }
      return due.length;
    });
  }

  private async fire(row: DueRow, now: Date): Promise<Outcome> {
    const timer: PlannedTimer = {
      key: row.key,
      complaintId: row.complaint_id,
      kind: row.kind,
      stage: row.stage,
      clockStartedAt: isoOf(row.clock_started_at),
      deadlineAt: isoOf(row.deadline_at),
      dueAt: isoOf(row.due_at),
      subjectId: row.subject_id,
      stageEndedAt: row.stage_ended_at === null ? null : isoOf(row.stage_ended_at),
    };
    const version = BigInt(row.planned_version);
    try {
      const command = commandFor(timer, now, this.options.calendar(), row.zone);
      const outcome = await this.options.repository.execute(
        command,
        { commandId: `timer:${timer.key}@${version}`, expectedVersion: version },
        { state: row.state, version, events: [] },
      );
      this.options.log?.info({ timer: timer.key, kind: timer.kind, event: outcome.events[0]?.type }, 'timer fired');
      return { status: 'fired', outcome: outcome.events.map((event) => event.type).join(',') };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { status: 'stale', outcome: 'WRONG_EXPECTED_VERSION' };
      if (error instanceof DomainError) return { status: 'refused', outcome: error.code };
      this.options.log?.error({ timer: timer.key, err: error }, 'timer could not fire; it stays pending and is tried again on the next sweep');
      return { status: 'pending', outcome: String(error) };
    }
  }

  /** When the next pending timer is due, if any. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.options.db.query<{ due_at: Date | string | null }>(
      `SELECT min(due_at) AS due_at FROM ${this.schema}.timers WHERE status = 'pending'`,
    );
    return row?.due_at ? new Date(row.due_at) : null;
  }

  /**
   * Sweeps now (what fell due while nothing ran fires first, oldest first), then again whenever the
   * next timer falls due, at most `maxWaitMs` apart so timers planned meanwhile are not missed.
   */
  start(maxWaitMs = 1_000): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      let wait = maxWaitMs;
      try {
        const result = await this.sweep();
        if (result.fired + result.stale + result.refused > 0) this.options.log?.info({ ...result }, 'timers swept');
        const next = await this.nextDueAt();
        if (next) wait = Math.max(0, Math.min(maxWaitMs, next.getTime() - this.options.now().getTime()));
      } catch (error) {
        this.options.log?.error({ err: error }, 'timer sweep failed; retrying shortly (is the database reachable?)');
      }
      if (!this.stopped)
        this.timer = setTimeout(() => {
          this.running = loop();
        }, wait);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
