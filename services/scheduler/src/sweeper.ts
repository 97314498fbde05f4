import { mapLimit, startDueLoop, type DueLoop } from '@lapor/background';
import { CalendarDataMissingError, type Calendar, type IndonesianZone } from '@lapor/calendar';
import { DomainError, type ComplaintState } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { type SqlRunner } from '@lapor/sql';
import { commandFor, timerCommandId, timerOn, type PlannedTimer, type TimerKind } from '@lapor/scheduling';
import type { ComplaintRepository, LoadedComplaint } from '@lapor/workflow';
import { SCHEDULER_SCHEMA } from './tables';

export interface SweeperOptions {
  readonly db: SqlRunner;
  readonly repository: ComplaintRepository;
  readonly calendar: () => Calendar;
  /** The clock: the wall clock in production, a hand-moved one in tests. */
  readonly now: () => Date;
  /** Timers claimed per transaction (default 500). */
  readonly batchSize?: number;
  /**
   * Complaints whose timers fire at once within a batch (default: all of the batch); one
   * complaint's fire in turn. Their appends meet in the event store's group commit, so a batch
   * is written in a few commits rather than one per timer.
   */
  readonly concurrency?: number;
  readonly log?: { info(object: object, message: string): void; error(object: object, message: string): void };
  readonly schema?: string;
}

export interface SweepResult {
  /** Appended an event. */
  readonly fired: number;
  /** The complaint kept changing while the timer fired (each try decided again on it): still pending, fired on the next sweep. */
  readonly stale: number;
  /** The decider said the moment has passed (stage met, request answered, a reply came). */
  readonly refused: number;
  /** Could not be tried (the store was unavailable): still pending, tried on the next sweep. */
  readonly failed: number;
  /**
   * A breach seen in a year with no decree recorded yet cannot count its working days late: it
   * waits for that year, as a timer whose deadline falls in it does, and fires once it is recorded.
   */
  readonly waiting: number;
}

/** What became of one timer; `stale` and `failed` stay pending. */
interface Outcome {
  readonly result: keyof SweepResult;
  readonly outcome: string;
  /** For `waiting`: the year it waits for. */
  readonly year?: number;
}

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
  state: ComplaintState;
  /** The complaint's version `state` is the state of. */
  version: string | number;
}

/** A complaint moving under a timer is retried this often within a sweep, each time as it stands then. */
const TRIES = 3;

const isoOf = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

const timerOf = (row: DueRow): PlannedTimer => ({
  key: row.key,
  complaintId: row.complaint_id,
  kind: row.kind,
  stage: row.stage,
  clockStartedAt: isoOf(row.clock_started_at),
  deadlineAt: isoOf(row.deadline_at),
  dueAt: isoOf(row.due_at),
  subjectId: row.subject_id,
  stageEndedAt: row.stage_ended_at === null ? null : isoOf(row.stage_ended_at),
  zone: row.zone,
});

/** The due rows by complaint, each complaint's in due order, the complaint due first first. */
function byComplaint(rows: readonly DueRow[]): DueRow[][] {
  const groups = new Map<string, DueRow[]>();
  for (const row of rows) {
    const group = groups.get(row.complaint_id);
    if (group) group.push(row);
    else groups.set(row.complaint_id, [row]);
  }
  return [...groups.values()];
}

/**
 * Fires what is due, oldest first, in batches. Each batch is claimed with FOR UPDATE SKIP LOCKED,
 * so two schedulers never fire one timer. A complaint's timers fire one after another, each
 * running its command through the decider and appending with the version it decided on: the
 * first on the state the planner stored, the next on the complaint as the store has it then. A
 * complaint that moved meanwhile (its other timer, a person, another sweeper) is loaded again
 * and decided on again, so the decider, not the timing, says whether the timer's moment has
 * passed. Its event id follows from the timer alone, so a scheduler that crashes after the append
 * and before marking fires it again harmlessly.
 */
export class TimerSweeper {
  private readonly schema: string;
  private loop: DueLoop | undefined;

  constructor(private readonly options: SweeperOptions) {
    this.schema = options.schema ?? SCHEDULER_SCHEMA;
  }

  async sweep(): Promise<SweepResult> {
    const totals = { fired: 0, stale: 0, refused: 0, failed: 0, waiting: 0 };
    const batchSize = this.options.batchSize ?? 500;
    for (;;) {
      const claimed = await this.sweepBatch(batchSize, totals);
      // what stays pending would be claimed again at once: leave it to the next sweep
      if (claimed < batchSize || totals.failed + totals.stale > 0) return totals;
    }
  }

  private async sweepBatch(batchSize: number, totals: { -readonly [K in keyof SweepResult]: number }): Promise<number> {
    const now = this.options.now();
    const { claimed, waiting } = await this.options.db.transaction(async (tx) => {
      const due = await tx.query<DueRow>(
        `SELECT t.key, t.complaint_id, t.kind, t.stage, t.clock_started_at, t.deadline_at, t.due_at, t.subject_id, t.stage_ended_at, t.zone, s.state, s.version
         FROM ${this.schema}.timers t JOIN ${this.schema}.complaint_state s USING (complaint_id)
         WHERE t.status = 'pending' AND t.due_at <= $1
         ORDER BY t.due_at, t.key LIMIT $2
         FOR UPDATE OF t SKIP LOCKED`,
        [now.toISOString(), batchSize],
      );
      if (due.length === 0) return { claimed: 0, waiting: [] };
      const complaints = byComplaint(due);
      const fired = await mapLimit(complaints, this.options.concurrency ?? complaints.length, (rows) => this.fireInTurn(rows, now));
      const outcomes = fired.flat();
      for (const { result } of outcomes) totals[result]++;
      const settled = outcomes.filter((entry) => entry.result === 'fired' || entry.result === 'refused' || entry.result === 'waiting');
      if (settled.length > 0) {
        await tx.query(
          `UPDATE ${this.schema}.timers AS t SET status = o.status, outcome = o.outcome, fired_at = CASE WHEN o.status = 'waiting' THEN NULL ELSE $4::timestamptz END
           FROM unnest($1::text[], $2::text[], $3::text[]) AS o(key, status, outcome) WHERE t.key = o.key`,
          [settled.map((entry) => entry.key), settled.map((entry) => entry.result), settled.map((entry) => entry.outcome), now.toISOString()],
        );
      }
      return { claimed: due.length, waiting: outcomes.filter((entry) => entry.result === 'waiting') };
    });
    // A year recorded while this batch ran was planned for (replanWaiting) before these were
    // marked: they would wait for a year that has come. Due again now.
    const known = new Set(this.options.calendar().years);
    const come = waiting.filter((entry) => entry.year !== undefined && known.has(entry.year));
    if (come.length > 0) {
      await this.options.db.query(`UPDATE ${this.schema}.timers SET status = 'pending', outcome = NULL WHERE key = ANY($1::text[]) AND status = 'waiting'`, [
        come.map((entry) => entry.key),
      ]);
    }
    return claimed;
  }

  /** One complaint's due timers, oldest first, each deciding on what the one before left. */
  private async fireInTurn(rows: readonly DueRow[], now: Date): Promise<(Outcome & { key: string })[]> {
    const [first] = rows;
    // what the planner stored, while nothing has been appended; after that, what the store has
    let complaint: LoadedComplaint | undefined = first && { state: first.state, version: BigInt(first.version), events: [] };
    const outcomes: (Outcome & { key: string })[] = [];
    for (const row of rows) {
      const fired = await this.fire(timerOf(row), complaint, now);
      outcomes.push({ key: row.key, ...fired.outcome });
      complaint = fired.complaint;
    }
    return outcomes;
  }

  /** Fires one timer; answers what became of it, and the complaint as it now is if that is known. */
  private async fire(
    timer: PlannedTimer,
    known: LoadedComplaint | undefined,
    now: Date,
  ): Promise<{ outcome: Outcome; complaint: LoadedComplaint | undefined }> {
    let complaint = known;
    for (let attempt = 1; ; attempt++) {
      try {
        complaint ??= await this.options.repository.load(timer.complaintId);
        const { state, version } = complaint;
        const command = commandFor(state.submitted ? timerOn(timer, state) : timer, now, this.options.calendar());
        const outcome = await this.options.repository.execute(command, { commandId: timerCommandId(timer), expectedVersion: version }, complaint);
        this.options.log?.info({ timer: timer.key, kind: timer.kind, event: outcome.events[0]?.type }, 'timer fired');
        return { outcome: { result: 'fired', outcome: outcome.events.map((event) => event.type).join(',') }, complaint: undefined };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          // the complaint moved since it was loaded: decide again on it as it stands now
          complaint = undefined;
          if (attempt < TRIES) continue;
          this.options.log?.info({ timer: timer.key }, 'timer left for the next sweep: its complaint kept changing while it fired');
          return { outcome: { result: 'stale', outcome: 'WRONG_EXPECTED_VERSION' }, complaint };
        }
        if (error instanceof DomainError) return { outcome: { result: 'refused', outcome: error.code }, complaint };
        if (error instanceof CalendarDataMissingError) {
          // the replanning that follows the decree's recording makes it pending again
          return { outcome: { result: 'waiting', outcome: `${error.code} ${error.year}`, year: error.year }, complaint };
        }
        this.options.log?.error({ timer: timer.key, err: error }, 'timer could not fire; it stays pending and is tried again on the next sweep');
        return { outcome: { result: 'failed', outcome: String(error) }, complaint: undefined };
      }
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
    this.loop ??= startDueLoop({
      maxWaitMs,
      now: this.options.now,
      tick: async () => {
        const result = await this.sweep();
        if (result.fired + result.stale + result.refused + result.waiting > 0) this.options.log?.info({ ...result }, 'timers swept');
        return this.nextDueAt();
      },
      onError: (error) => this.options.log?.error({ err: error }, 'timer sweep failed; retrying shortly (is the database reachable?)'),
    });
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
