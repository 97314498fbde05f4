import { mapLimit, startDueLoop, type DueLoop } from '@lapor/background';
import { CalendarDataMissingError, type Calendar, type IndonesianZone } from '@lapor/calendar';
import { DomainError, type ComplaintState } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { type SqlRunner } from '@lapor/sql';
import { commandFor, timerCommandId, timerOn, type PlannedTimer, type TimerKind } from '@lapor/scheduling';
import type { ComplaintRepository, Decision, LoadedComplaint } from '@lapor/workflow';
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
   * Complaints whose timers are appended in one statement and one commit (default: all of the
   * batch); one complaint's timers fire in turn, each in a round of its own.
   */
  readonly concurrency?: number;
  /**
   * Batches a sweep fires at once (default 2), each claimed in its own transaction: one claims and
   * marks while the other's events are appended, and their appends share commits. 1 where the
   * database has a single connection (PGlite), whose transactions cannot overlap.
   */
  readonly batchesAtOnce?: number;
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
  /** The complaint as the planner folded it (none: read it from the store). */
  state: ComplaintState | null;
  /** The complaint's version `state` is the state of. */
  version: string | number | null;
}

/** A complaint moving under a timer is retried this often within a sweep, each time as it stands then. */
const TRIES = 3;
/** Complaints read again at once after they moved under their timers (rare: most decide on the planner's state). */
const LOADS_AT_ONCE = 16;

/** One complaint's claimed timers, fired in due order. */
interface Firing {
  readonly rows: readonly DueRow[];
  /** The timer up next. */
  next: number;
  /** Tries of that timer so far, each on the complaint as it stood then. */
  tries: number;
  /** As the next decision sees it; undefined: read it from the store. */
  complaint: LoadedComplaint | undefined;
}

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

const loadedOf = ({ state, version }: DueRow): LoadedComplaint | undefined =>
  state === null || version === null ? undefined : { state, version: BigInt(version), events: [] };

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
 * so two schedulers never fire one timer, and is marked in the same transaction: a sweeper that
 * dies mid-batch leaves its timers pending, claimable again. A batch's timers are decided in
 * memory on the states the planner stored and their events appended to their complaints' streams
 * in one statement and one commit, each with the version it was decided on. A complaint that moved
 * meanwhile (a person, another sweeper) fails alone, and is read again and decided on again, so
 * the decider, not the timing, says whether the timer's moment has passed. Its event id follows
 * from the timer alone, so a scheduler that crashes after the append and before marking fires it
 * again harmlessly: the store answers the retry as the first time and writes nothing.
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
    // SKIP LOCKED gives each its own timers; a complaint with timers in both is decided on again
    // by whichever appends second (its version check fails), as with two schedulers
    let failed = false;
    const batches = async (): Promise<void> => {
      while (!failed) {
        const claimed = await this.sweepBatch(batchSize, totals, startOthers).catch((error: unknown) => {
          failed = true;
          throw error;
        });
        // what stays pending would be claimed again at once: leave it to the next sweep
        if (claimed < batchSize || totals.failed + totals.stale > 0) return;
      }
    };
    // The other batches start only once a claim comes back full, so there is more to claim: started
    // together, two claims split a few due timers between them (SKIP LOCKED passes over the rows the
    // other has just locked), and what one commit would hold took two.
    const batchesAtOnce = this.options.batchesAtOnce ?? 2;
    const running: Promise<void>[] = [];
    const startOthers = (): void => {
      if (running.length > 1) return;
      for (let others = 1; others < batchesAtOnce; others++) running.push(batches());
    };
    const first = batches();
    running.push(first);
    // a failed batch ends the sweep only once the batch beside it has finished too: a sweep that
    // answers must have nothing of its own still writing (the next sweep, or a test, reads after it).
    // The others, if any, were started inside the first, so once it has settled they are all here.
    await Promise.allSettled([first]);
    const refused = (await Promise.allSettled(running)).find((outcome) => outcome.status === 'rejected');
    if (refused) throw refused.reason;
    return totals;
  }

  private async sweepBatch(batchSize: number, totals: { -readonly [K in keyof SweepResult]: number }, onFullClaim: () => void): Promise<number> {
    const now = this.options.now();
    const { claimed, waiting } = await this.options.db.transaction(async (tx) => {
      // The timers are claimed first, in due order, and only then joined to their complaints: as
      // one join, the planner walked all of a million open timers by complaint (1 s a claim).
      const due = await tx.query<DueRow>(
        `WITH claimed AS MATERIALIZED (
           SELECT t.key, t.complaint_id, t.kind, t.stage, t.clock_started_at, t.deadline_at, t.due_at, t.subject_id, t.stage_ended_at, t.zone
           FROM ${this.schema}.timers t
           WHERE t.status = 'pending' AND t.due_at <= $1
           ORDER BY t.due_at, t.key LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         SELECT c.*, s.state, s.version FROM claimed c LEFT JOIN ${this.schema}.complaint_state s USING (complaint_id)
         ORDER BY c.due_at, c.key`,
        [now.toISOString(), batchSize],
      );
      if (due.length === 0) return { claimed: 0, waiting: [] };
      if (due.length === batchSize) onFullClaim();
      const outcomes = await this.fireBatch(byComplaint(due), now);
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

  /**
   * Fires a claimed batch in rounds: each round takes every complaint's next timer, decides them
   * all in memory and appends what they decided in one statement (`concurrency` complaints per
   * statement). Most complaints have one timer due, so a batch is mostly one round and one commit.
   * A complaint's next timer is decided on what its previous one left, read from the store.
   */
  private async fireBatch(complaints: readonly DueRow[][], now: Date): Promise<(Outcome & { key: string })[]> {
    const outcomes: (Outcome & { key: string })[] = [];
    const firings: Firing[] = complaints.map((rows) => ({
      rows,
      next: 0,
      tries: 0,
      // what the planner stored: the first decision needs no read, and the append's version check says if it is stale
      complaint: loadedOf(rows[0]!),
    }));
    const settle = (firing: Firing, outcome: Outcome): void => {
      outcomes.push({ key: firing.rows[firing.next]!.key, ...outcome });
      firing.next++;
      firing.tries = 0;
    };
    for (;;) {
      const round = firings.filter((firing) => firing.next < firing.rows.length);
      if (round.length === 0) return outcomes;
      // those that moved under their timer: read again, as they stand now
      await mapLimit(
        round.filter((firing) => firing.complaint === undefined),
        LOADS_AT_ONCE,
        async (firing) => {
          try {
            firing.complaint = await this.options.repository.load(firing.rows[0]!.complaint_id);
          } catch (error) {
            settle(firing, this.failed(firing.rows[firing.next]!.key, error));
          }
        },
      );
      const deciding: { firing: Firing; timer: PlannedTimer; decision: Decision }[] = [];
      for (const firing of round) {
        const complaint = firing.complaint;
        if (complaint === undefined || firing.next >= firing.rows.length) continue;
        const timer = timerOf(firing.rows[firing.next]!);
        try {
          const command = commandFor(complaint.state.submitted ? timerOn(timer, complaint.state) : timer, now, this.options.calendar());
          deciding.push({
            firing,
            timer,
            decision: { command, options: { commandId: timerCommandId(timer), expectedVersion: complaint.version }, loaded: complaint },
          });
        } catch (error) {
          settle(firing, this.outcomeOf(timer, error));
        }
      }
      const chunk = this.options.concurrency ?? Math.max(1, deciding.length);
      for (let from = 0; from < deciding.length; from += chunk) {
        const part = deciding.slice(from, from + chunk);
        const executed = await this.options.repository.executeEach(part.map(({ decision }) => decision));
        for (const [index, { firing, timer }] of part.entries()) {
          const result = executed[index]!;
          if (result.status === 'fulfilled') {
            const { events } = result.value;
            this.options.log?.info({ timer: timer.key, kind: timer.kind, event: events[0]?.type }, 'timer fired');
            // The next timer reads the complaint again: the answer may be a retry's, whose events
            // were decided (and stored) on another version. Few complaints have two timers due at once.
            firing.complaint = undefined;
            settle(firing, { result: 'fired', outcome: events.map((event) => event.type).join(',') });
          } else if (result.reason instanceof WrongExpectedVersionError) {
            // the complaint moved since it was loaded: decide again on it as it stands now
            firing.complaint = undefined;
            if (++firing.tries < TRIES) continue;
            this.options.log?.info({ timer: timer.key }, 'timer left for the next sweep: its complaint kept changing while it fired');
            settle(firing, { result: 'stale', outcome: 'WRONG_EXPECTED_VERSION' });
          } else {
            const outcome = this.outcomeOf(timer, result.reason);
            if (outcome.result === 'failed') firing.complaint = undefined;
            settle(firing, outcome);
          }
        }
      }
    }
  }

  /** What a refusal or failure of one timer means for it. */
  private outcomeOf(timer: PlannedTimer, error: unknown): Outcome {
    if (error instanceof DomainError) return { result: 'refused', outcome: error.code };
    if (error instanceof CalendarDataMissingError) {
      // the replanning that follows the decree's recording makes it pending again
      return { result: 'waiting', outcome: `${error.code} ${error.year}`, year: error.year };
    }
    return this.failed(timer.key, error);
  }

  private failed(key: string, error: unknown): Outcome {
    this.options.log?.error({ timer: key, err: error }, 'timer could not fire; it stays pending and is tried again on the next sweep');
    return { result: 'failed', outcome: String(error) };
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
