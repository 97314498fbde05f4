import type { Calendar } from '@lapor/calendar';
import { complaintDecider, type Complaint, type ComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import {
  adminActionOf,
  breachOf,
  complaintFactsOf,
  hopFactsOf,
  recapFactsOf,
  sameComplaintFacts,
  sameRecapFacts,
  type AdminAction,
  type BreachFacts,
  type ComplaintFacts,
  type HopFacts,
  type RecapFacts,
} from './facts';
import { monthOf, receivedOnOf } from './local-date';
import { CHANGE_SPANS, changeSpansOf, changesOf, type Interval } from './recap-changes';
import { inKeyOrder } from '@lapor/consumer-kit';

// What a page of complaint events changes in the statistics tables, worked out in memory from what
// the tables held for the page's complaints before it: the writes then take a handful of statements
// for the whole page instead of a dozen for each event. Pure: the tables are read before and
// written after (apply-page.ts).

/** A change to one recap bucket: [row node, status, n, rtl ms, rtl n, rating sum, rating n, rv ms, rv n]. */
export type BucketDelta = [string, string, number, number, number, number, number, number, number];

export const bucketDelta = (facts: RecapFacts, sign: 1 | -1): BucketDelta => [
  facts.rowNodeId,
  facts.status,
  sign,
  sign * (facts.rtlMs ?? 0),
  facts.rtlMs === null ? 0 : sign,
  sign * (facts.rating ?? 0),
  facts.rating === null ? 0 : sign,
  sign * (facts.rvMs ?? 0),
  facts.rvMs === null ? 0 : sign,
];

/** One row of recap_facts: an interval during which a complaint's recap facts held. */
export interface FactsInterval extends Interval {
  readonly receivedOn: string;
}

/** What the tables held of one complaint before the page (nothing for a complaint they have not seen). */
export interface StoredComplaint {
  readonly state: ComplaintState;
  readonly intervals: readonly FactsInterval[];
}

/** One event of the page, parsed, in log order. */
export interface PageEvent {
  readonly complaintId: string;
  readonly event: ComplaintEvent;
}

/** A sum over a page: its keys, then n, rtl ms, rtl n, rating sum, rating n, rv ms, rv n. */
export type SummedRow = (string | number)[];

export interface PageWrites {
  /** Every complaint of the page, as its state stands after it. */
  readonly states: ReadonlyMap<string, ComplaintState>;
  /** Complaints whose intervals changed, with all their intervals as they stand after the page. */
  readonly intervals: ReadonlyMap<string, readonly FactsInterval[]>;
  /** Summed changes: [span, changed, bucket, row node, status, …numbers], in key order. */
  readonly changes: readonly SummedRow[];
  /** Summed deltas: [bucket, row node, status, …numbers], in key order. */
  readonly daily: readonly SummedRow[];
  readonly monthly: readonly SummedRow[];
  /** Complaint facts that differ from what the complaint had before the page. */
  readonly facts: readonly ComplaintFacts[];
  /** Complaints whose hops are written anew (their earlier rows, if any, go first), and those rows. */
  readonly hopsReplaced: readonly string[];
  readonly hops: readonly HopFacts[];
  readonly breaches: readonly BreachFacts[];
  readonly actions: readonly AdminAction[];
}

/** Sums numbers per key; `rows()` in key order, so two transactions lock the same rows in the same order. */
export class Sums {
  private readonly sums = new Map<string, SummedRow>();

  add(keys: readonly string[], numbers: readonly number[]): void {
    const key = keys.join('\u0000');
    const sum = this.sums.get(key);
    if (!sum) {
      this.sums.set(key, [...keys, ...numbers]);
      return;
    }
    for (let index = 0; index < numbers.length; index++) (sum[keys.length + index] as number) += numbers[index]!;
  }

  rows(): SummedRow[] {
    return inKeyOrder(this.sums).map(([, row]) => row);
  }
}

const instant = (at: string): string => new Date(at).toISOString();

interface Working {
  readonly before: ComplaintState;
  state: ComplaintState;
  intervals: { validFrom: string; validTo: string | null; receivedOn: string; facts: RecapFacts }[];
  intervalsChanged: boolean;
}

/**
 * The page's events folded over what the tables held, each event as the one-event projection
 * wrote it: a recap change closes the open interval and starts one at the event's moment (a change
 * at the same moment as the last replaces it), and its intervals' changes are taken back and put in
 * again; facts and hops as they stand after the page, breaches and admin actions event by event.
 */
export function foldPage(events: readonly PageEvent[], stored: ReadonlyMap<string, StoredComplaint>, tree: OrganisationTree, calendar: Calendar): PageWrites {
  const working = new Map<string, Working>();
  const changes = new Sums();
  const daily = new Sums();
  const monthly = new Sums();
  const breaches: BreachFacts[] = [];
  const actions: AdminAction[] = [];

  const countChanges = (interval: Interval, sign: 1 | -1, receivedOn: string): void => {
    const bucket = monthOf(receivedOn);
    for (const change of changesOf(interval)) {
      const delta = bucketDelta(interval.facts, (change.sign * sign) as 1 | -1);
      const spans = changeSpansOf(change.at);
      for (const span of CHANGE_SPANS) changes.add([span, spans[span], bucket, delta[0], delta[1]], delta.slice(2) as number[]);
    }
  };

  for (const { complaintId, event } of events) {
    let entry = working.get(complaintId);
    if (!entry) {
      const before = stored.get(complaintId);
      const state = before?.state ?? complaintDecider.initialState();
      entry = {
        before: state,
        state,
        intervals: (before?.intervals ?? []).map((interval) => ({
          ...interval,
          validFrom: instant(interval.validFrom),
          validTo: interval.validTo && instant(interval.validTo),
        })),
        intervalsChanged: false,
      };
      working.set(complaintId, entry);
    }
    const before = entry.state;
    const after = complaintDecider.evolve(before, event);
    entry.state = after;
    if (!after.submitted) continue;
    const previous: Complaint | null = before.submitted ? before : null;

    const next = recapFactsOf(after);
    const prior = previous ? recapFactsOf(previous) : null;
    if (!prior || !sameRecapFacts(prior, next)) {
      const at = instant(event.data.at);
      const receivedOn = receivedOnOf(after, tree);
      if (previous) {
        // the open interval ends here; then whatever starts at this very moment is replaced
        for (const interval of entry.intervals) {
          if (interval.validTo !== null) continue;
          countChanges({ ...interval, validTo: null }, -1, interval.receivedOn);
          interval.validTo = at;
          countChanges(interval, 1, interval.receivedOn);
        }
        for (const interval of entry.intervals) if (interval.validFrom === at) countChanges(interval, -1, interval.receivedOn);
      }
      const same = entry.intervals.find((interval) => interval.validFrom === at);
      if (same) {
        // as the upsert on (complaint, valid_from): new facts, open again, its received_on kept
        same.facts = next;
        same.validTo = null;
      } else {
        entry.intervals.push({ validFrom: at, validTo: null, receivedOn, facts: next });
      }
      countChanges({ validFrom: at, validTo: null, facts: next }, 1, receivedOn);
      entry.intervalsChanged = true;

      for (const delta of [...(prior ? [bucketDelta(prior, -1)] : []), bucketDelta(next, 1)]) {
        daily.add([receivedOn, delta[0], delta[1]], delta.slice(2) as number[]);
        monthly.add([monthOf(receivedOn), delta[0], delta[1]], delta.slice(2) as number[]);
      }
    }
    const breach = breachOf(event, after, tree);
    if (breach) breaches.push(breach);
    const action = adminActionOf(event, after, tree, calendar);
    if (action) actions.push(action);
  }

  const states = new Map<string, ComplaintState>();
  const intervals = new Map<string, readonly FactsInterval[]>();
  const facts: ComplaintFacts[] = [];
  const hopsReplaced: string[] = [];
  const hops: HopFacts[] = [];
  for (const [complaintId, entry] of working) {
    states.set(complaintId, entry.state);
    if (entry.intervalsChanged) intervals.set(complaintId, entry.intervals);
    if (!entry.state.submitted) continue;
    const after: Complaint = entry.state;
    const previous: Complaint | null = entry.before.submitted ? entry.before : null;
    // the last of the one-event projection's writes is what stands: the facts after the page
    const next = complaintFactsOf(after, tree, calendar);
    if (!previous || !sameComplaintFacts(complaintFactsOf(previous, tree, calendar), next)) facts.push(next);
    // hops only ever grow (evolve appends them), and a new one is what changes an earlier return's days lost
    if (!previous || previous.hops.length !== after.hops.length) {
      if (previous) hopsReplaced.push(complaintId);
      hops.push(...hopFactsOf(after, tree));
    }
  }
  return { states, intervals, changes: changes.rows(), daily: daily.rows(), monthly: monthly.rows(), facts, hopsReplaced, hops, breaches, actions };
}
