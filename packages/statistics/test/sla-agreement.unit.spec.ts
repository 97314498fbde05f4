import { loadCalendar, type Calendar } from '@lapor/calendar';
import {
  buildOrganisationTree,
  clockZoneOf,
  complaintDecider,
  DEFAULT_SLA_CONFIGURATION,
  generateTrackingId,
  type Actor,
  type Complaint,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintState,
  type OrganisationNode,
} from '@lapor/domain';
import { planTimers } from '@lapor/scheduling';
import fc from 'fast-check';
import { REPORT_DAY_LIMITS } from '../src';
import { adminActionOf, complaintFactsOf } from '../src/facts';

// The scheduler's breach and the statistics' "after N hari" column answer one question for the
// same complaint: was the stage done after its deadline? Random complaints through the real
// decider, at doors and units in all three zones, in bundled years and in a year recorded at run
// time; the scheduler plans as it does (each event, the first deadline kept), the statistics count
// from the folded complaint.

const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'dki', name: 'Pemerintah Provinsi DKI Jakarta', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'dki-pu', name: 'Dinas Bina Marga', parentId: 'dki' },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'instansi', id: 'papua', name: 'Pemerintah Provinsi Papua', parentId: 'nasional', timeZone: 'Asia/Jayapura' },
  { kind: 'unit', id: 'papua-pu', name: 'Dinas Pekerjaan Umum', parentId: 'papua' },
];
const tree = buildOrganisationTree(NODES);
const UNIT_OF: Readonly<Record<string, string>> = { dki: 'dki-pu', ntt: 'ntt-pupr', papua: 'papua-pu' };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const bundled = loadCalendar();

/** A year the bundled data has no decree for, with random holidays, as an administrator records it. */
const RecordedYear = fc.uniqueArray(fc.integer({ min: 0, max: 365 }), { maxLength: 20 }).map((days) => ({
  year: 2028,
  revisions: [
    {
      type: 'base',
      status: 'official',
      decree: { type: 'skb', title: 'SKB 2028 (uji)', number: 'Nomor 1 Tahun 2027', signedOn: '2027-10-01' },
      days: days.map((offset) => ({ date: new Date(Date.UTC(2028, 0, 1) + offset * DAY).toISOString().slice(0, 10), kind: 'libur_nasional', name: 'Libur' })),
    },
  ],
}));

const Life = fc.record({
  door: fc.constantFrom('nasional', 'dki', 'ntt', 'papua'),
  handledBy: fc.constantFrom('dki', 'ntt', 'papua'),
  // receipt in 2025–2026 (bundled decrees) or in 2028 (recorded), stages done before October;
  // whole hours, and most steps a few days long, so many land in the hours around a deadline's
  // midnight, where the zones disagree on the date
  receivedAt: fc
    .oneof(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 8, 1) }), fc.integer({ min: Date.UTC(2028, 0, 1), max: Date.UTC(2028, 8, 1) }))
    .map((at) => at - (at % HOUR)),
  toVerification: fc.integer({ min: 0, max: 8 * 24 }).map((hours) => hours * HOUR),
  toUnit: fc.integer({ min: 0, max: 3 * 24 }).map((hours) => hours * HOUR),
  toFollowUp: fc.integer({ min: 3 * 24, max: 10 * 24 }).map((hours) => hours * HOUR),
});
type Life = typeof Life extends fc.Arbitrary<infer T> ? T : never;

const actor = (role: Actor['role'], nodeId: string | null): Actor => ({ role, id: `${role}-${nodeId ?? 'x'}`, nodeId }) as Actor;

/** The complaint's events and its state after each, written through decide. */
function live(life: Life): { events: ComplaintEvent[]; states: Complaint[] } {
  const complaintId = '0190f5a2-7c1e-7a3b-9d4e-2f6a8b0c1d2e';
  const instansi = life.door === 'nasional' ? life.handledBy : life.door;
  const doorAdmin = life.door === 'nasional' ? actor('admin_nasional', 'nasional') : actor('admin_instansi', life.door);
  const events: ComplaintEvent[] = [];
  const states: Complaint[] = [];
  let state: ComplaintState = complaintDecider.initialState();
  const run = (command: Omit<ComplaintCommand, 'metadata'>, by: Actor, at: number): void => {
    const decided = complaintDecider.decide({ ...command, metadata: { now: new Date(at).toISOString(), actor: by } } as ComplaintCommand, state);
    for (const event of decided) {
      state = complaintDecider.evolve(state, event);
      events.push(event);
      if (state.submitted) states.push(state);
    }
  };
  let at = life.receivedAt;
  run(
    {
      type: 'SubmitComplaint',
      data: {
        complaintId,
        trackingId: generateTrackingId((size) => Buffer.alloc(size, 7)),
        kind: 'pengaduan',
        channel: 'web',
        title: 'Jalan rusak',
        description: 'Berlubang',
        occurredOn: null,
        location: null,
        attachments: [],
        addressedTo: tree.nodeRef(life.door),
        reporter: null,
        reporterRef: actor('reporter', null).id,
        anonymous: false,
        confidential: false,
        externalReference: null,
      },
    },
    actor('reporter', null),
    at,
  );
  at += life.toVerification;
  run(
    { type: 'VerifyComplaint', data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null } },
    doorAdmin,
    at,
  );
  if (life.door === 'nasional') {
    run({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(instansi), tembusan: [], slaClass: null, note: null } }, doorAdmin, at);
    at += life.toUnit;
  }
  run(
    { type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(UNIT_OF[instansi]!), tembusan: [], slaClass: null, note: null } },
    actor('admin_instansi', instansi),
    at,
  );
  at += life.toFollowUp;
  run(
    { type: 'PostFollowUp', data: { complaintId, followUpId: '0190f5a2-7c1e-7a3b-9d4e-000000000101', message: 'ditangani', attachments: [] } },
    actor('liaison', UNIT_OF[instansi]!),
    at,
  );
  return { events, states };
}

/** Deadlines as the scheduler keeps them: planned after each event, the first one given stays. */
function keptDeadlines(states: readonly Complaint[], calendar: Calendar): Map<string, number> {
  const deadlines = new Map<string, number>();
  for (const state of states) {
    const { timers } = planTimers(state, { policy: DEFAULT_SLA_CONFIGURATION, calendar, zoneOf: (clock) => clockZoneOf(state, clock, tree) });
    for (const timer of timers) if (timer.kind === 'breach' && !deadlines.has(timer.stage)) deadlines.set(timer.stage, Date.parse(timer.deadlineAt));
  }
  return deadlines;
}

describe('the SLA deadlines and the statistics agree on what was late', () => {
  it('given the default policy, then its deadlines are the published tables’ day limits (else the two answer different questions)', () => {
    expect(DEFAULT_SLA_CONFIGURATION.verificationWorkingDays).toBe(REPORT_DAY_LIMITS.verification);
    expect(DEFAULT_SLA_CONFIGURATION.firstFollowUpWorkingDays).toBe(REPORT_DAY_LIMITS.firstFollowUp);
  });

  it('given random complaints across zones and recorded years, then a breach is planned exactly when the statistics count the stage as late', () => {
    fc.assert(
      fc.property(Life, RecordedYear, (life, year) => {
        const calendar = bundled.withYear(year, 'recorded');
        const { events, states } = live(life);
        const final = states[states.length - 1]!;
        const deadlines = keptDeadlines(states, calendar);

        const verifiedAt = Date.parse(final.verificationDecidedAt!);
        const verifiedEvent = events.find((event) => event.type === 'ComplaintVerified')!;
        const verifiedState = states[events.indexOf(verifiedEvent)]!;
        const verification = adminActionOf(verifiedEvent, verifiedState, tree, calendar)!;
        expect(verification.workingDays! > REPORT_DAY_LIMITS.verification).toBe(verifiedAt > deadlines.get('verification')!);

        const followedUpAt = Date.parse(final.firstFollowUpAt!);
        const facts = complaintFactsOf(final, tree, calendar);
        expect(facts.followedUpWorkingDays! > REPORT_DAY_LIMITS.firstFollowUp).toBe(followedUpAt > deadlines.get('first_follow_up')!);
        // and the scheduler, planning once more after the follow-up, still wants the breach exactly then
        const late = planTimers(final, { policy: DEFAULT_SLA_CONFIGURATION, calendar, zoneOf: (clock) => clockZoneOf(final, clock, tree) }).timers.some(
          (timer) => timer.kind === 'breach' && timer.stage === 'first_follow_up',
        );
        expect(late).toBe(facts.followedUpWorkingDays! > REPORT_DAY_LIMITS.firstFollowUp);
      }),
      { numRuns: 1_000 },
    );
  });
});
