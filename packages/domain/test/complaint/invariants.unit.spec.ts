import fc from 'fast-check';
import type { Complaint, ComplaintCommand, ComplaintEvent, ComplaintEventType, ComplaintState, ComplaintStatus } from '../../src';
import { complaintEventTypes, decide, DOMAIN_ERROR_CODES, DomainError, evolve, initialState, parseComplaintEvent } from '../../src';
import { tree } from './fixtures';
import type { Step } from './random-commands';
import { buildCommand, sequenceArbitrary } from './random-commands';

// Properties over random command sequences: whatever officers, reporters and the scheduler
// ask, in whatever order, applying only what decide accepts never leads to a complaint an
// officer would call impossible.

type Outcome =
  | { accepted: true; command: ComplaintCommand; before: ComplaintState; events: ComplaintEvent[]; after: ComplaintState }
  | { accepted: false; command: ComplaintCommand; before: ComplaintState; error: unknown };

const START = Date.parse('2024-03-04T01:00:00.000Z');

/** Runs a sequence, freezing every state so any mutation by decide or evolve throws. */
function run(steps: Step[]): Outcome[] {
  let state = deepFreeze(initialState());
  let clock = START;
  return steps.map((step, serial) => {
    clock += step.hoursLater * 3_600_000;
    const command = buildCommand(step, state, new Date(clock).toISOString(), serial);
    const before = state;
    try {
      const events = decide(command, before);
      state = deepFreeze(events.reduce(evolve, before));
      return { accepted: true, command, before, events, after: state };
    } catch (error) {
      return { accepted: false, command, before, error };
    }
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** What an officer would call an impossible complaint; returns the broken rules. */
function brokenInvariants(c: Complaint): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, rule: string) => ok || broken.push(rule);
  const open = c.status !== 'ARSIP' && c.status !== 'SELESAI';
  const atUnit = c.status === 'BELUM_DITINDAKLANJUTI' || c.status === 'PROSES';

  check(
    c.status !== 'SELESAI' || (c.completedAt !== null && (c.lastFollowUp !== null || c.kind === 'aspirasi')),
    'completed without a follow-up or an answered aspiration',
  );
  check(!atUnit || (c.assignedUnit !== null && c.assignedUnit.id === c.holder.id), 'with a unit status but no assigned unit holding it');
  check(!open || atUnit === (c.assignedUnit !== null), 'an open complaint at a unit shows an admin status, or the reverse');
  check(c.status !== 'PROSES' || c.lastFollowUp !== null, 'Proses without a follow-up');
  check(c.status !== 'BELUM_DITINDAKLANJUTI' || c.lastFollowUp === null, 'Belum Ditindaklanjuti with a follow-up');
  check(
    c.rating === null || (c.status === 'SELESAI' && Number.isInteger(c.rating) && c.rating >= 1 && c.rating <= 5),
    'a rating outside 1–5 or before Selesai',
  );
  check((c.status === 'TUNDA') === (c.openRequest !== null), 'Tunda without an open request, or the reverse');
  check(c.status !== 'ARSIP' || (c.archivedAt !== null && c.assignedUnit === null), 'archived while at a unit');
  check(c.assignedUnit === null || c.verifiedAt !== null, 'at a unit without verification');
  // a succession is no disposition: a merged node hands on what it holds, verified or not
  check(c.hops.every((h) => h.type === 'return' || h.type === 'succession') || c.verifiedAt !== null, 'disposed before verification');
  check(c.kind !== 'wbs' || c.confidential, 'a WBS report that is not confidential');
  check((!c.requestedProtection.anonymous || c.anonymous) && (!c.requestedProtection.confidential || c.confidential), 'protection lifted');
  check((c.instansiId ?? null) === (tree.instansiOf(c.holder.id)?.id ?? null), 'the responsible instansi is not the holder’s');
  check(c.status !== 'TUNDA' || c.assignedUnit === null, 'Tunda while at a unit');
  check(!c.replyPending || c.lastFollowUp !== null, 'a reply pending to no follow-up of the unit holding it');

  // The hop chain is unbroken from the door it came in by to the holder, one edge at a time.
  let at = c.addressedTo.id;
  for (const hop of c.hops) {
    check(hop.from === at, `hop from ${hop.from} while it was at ${at}`);
    // a succession crosses the tree, but never leaves the instansi
    const edge =
      hop.type === 'disposition'
        ? tree.node(hop.to).parentId === hop.from
        : hop.type === 'return'
          ? tree.node(hop.from).parentId === hop.to
          : tree.instansiOf(hop.from)?.id === tree.instansiOf(hop.to)?.id;
    check(edge, `${hop.type} ${hop.from} → ${hop.to} skips a level`);
    at = hop.to;
  }
  check(at === c.holder.id, 'the last hop does not end at the holder');
  return broken;
}

/** What may still happen to a closed complaint (see decide-sla.ts for why breaches may). */
const ALLOWED_AFTER: Partial<Record<ComplaintStatus, readonly ComplaintEventType[]>> = {
  ARSIP: ['SlaBreachRecorded'],
  SELESAI: ['HandlingRated', 'SlaBreachRecorded'],
};

const knownCodes = new Set<string>(DOMAIN_ERROR_CODES);

describe('any sequence of commands', () => {
  it('only ever reaches complaints that keep the rules', () => {
    fc.assert(
      fc.property(sequenceArbitrary, (steps) => {
        for (const outcome of run(steps)) {
          if (outcome.accepted && outcome.after.submitted) expect(brokenInvariants(outcome.after)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts nothing after Arsip, and only a rating or a late breach after Selesai', () => {
    fc.assert(
      fc.property(sequenceArbitrary, (steps) => {
        for (const outcome of run(steps)) {
          if (!outcome.accepted || !outcome.before.submitted) continue;
          const allowed = ALLOWED_AFTER[outcome.before.status];
          if (allowed) for (const event of outcome.events) expect(allowed).toContain(event.type);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses only with a DomainError carrying a known code, and leaves the state as it was', () => {
    fc.assert(
      fc.property(sequenceArbitrary, (steps) => {
        const outcomes = run(steps);
        outcomes.forEach((outcome, i) => {
          if (outcome.accepted) {
            expect(outcome.events.length).toBeGreaterThan(0);
            return;
          }
          expect(outcome.error).toBeInstanceOf(DomainError);
          expect(knownCodes.has((outcome.error as DomainError).code)).toBe(true);
          const next = outcomes[i + 1];
          if (next) expect(next.before).toBe(outcome.before);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('emits only events that survive the store: JSON and back through the schema registry', () => {
    fc.assert(
      fc.property(sequenceArbitrary, (steps) => {
        for (const outcome of run(steps)) {
          if (!outcome.accepted) continue;
          for (const event of outcome.events) {
            const stored = JSON.parse(JSON.stringify(event)) as { type: string; schemaVersion: number; data: unknown };
            expect(parseComplaintEvent(stored)).toEqual(event);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilds the same complaint from its stored events alone', () => {
    fc.assert(
      fc.property(sequenceArbitrary, (steps) => {
        const outcomes = run(steps);
        const stored = outcomes.flatMap((o) => (o.accepted ? o.events : []));
        const last = [...outcomes].reverse().find((o) => o.accepted);
        const replayed = stored.map((e) => parseComplaintEvent(JSON.parse(JSON.stringify(e)))).reduce(evolve, initialState());
        expect(replayed).toEqual(last && last.accepted ? last.after : initialState());
      }),
      { numRuns: 200 },
    );
  });
});

describe('the random sequences themselves', () => {
  // Guards the properties above against a generator that never gets anywhere: if no sequence
  // reached Selesai or a rating, "nothing bad happens after Selesai" would hold vacuously.
  it('reach every status and every event type', () => {
    const statuses = new Set<string>();
    const eventTypes = new Set<string>();
    for (const steps of fc.sample(sequenceArbitrary, { numRuns: 2000, seed: 42 })) {
      for (const outcome of run(steps)) {
        if (!outcome.accepted) continue;
        outcome.events.forEach((e) => eventTypes.add(e.type));
        if (outcome.after.submitted) statuses.add(outcome.after.status);
      }
    }
    expect([...statuses].sort()).toEqual(['ARSIP', 'BELUM_DITINDAKLANJUTI', 'BELUM_TERVERIFIKASI', 'PROSES', 'SELESAI', 'TUNDA']);
    expect([...eventTypes].sort()).toEqual([...complaintEventTypes()].sort());
  });
});
