import {
  buildOrganisationTree,
  complaintDecider,
  generateTrackingId,
  HANDLING_ROLE,
  type Actor,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintKind,
  type ComplaintState,
  type OrganisationNode,
} from '@lapor/domain';
import { complaintIdForTrackingId } from '@lapor/workflow';
import fc from 'fast-check';
import { createHash } from 'node:crypto';

// Random complaint histories for the public list, written through the real decider: kinds Open311
// offers and whistle-blowing; confidential from the start, made confidential at verification, or
// never; disposed down the tree (the instansi a list filters on follows), archived or answered
// (closed) or left open. A step the decider refuses is left out. Receipts fall on few distinct
// instants over five months, so they tie and straddle 90-day windows.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemprov NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'instansi', id: 'batam', name: 'Pemkot Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'batam-dishub', name: 'Dishub Batam', parentId: 'batam' },
];
const tree = buildOrganisationTree(NODES);

export const START = Date.parse('2024-03-01T01:00:00Z');
const DAY = 86_400_000;

const Plan = fc.record({
  day: fc.integer({ min: 0, max: 150 }),
  minute: fc.integer({ min: 0, max: 1 }),
  addressedTo: fc.constantFrom('ntt', 'batam', 'nasional'),
  kind: fc.constantFrom<ComplaintKind>('pengaduan', 'aspirasi', 'permintaan_informasi', 'wbs'),
  confidentialAtSubmission: fc.boolean(),
  steps: fc.array(fc.record({ action: fc.constantFrom('verify', 'verifyConfidential', 'dispose', 'dispose', 'archive', 'answer'), pick: fc.nat(100) }), {
    maxLength: 4,
  }),
});
type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

function tell(plan: Plan, index: number): ComplaintEvent[] {
  const name = `open311-${index}`;
  const trackingId = generateTrackingId((size) => createHash('sha256').update(name).digest().subarray(0, size));
  // as intake derives it, so a list entry is read back from its stream by tracking id
  const complaintId = complaintIdForTrackingId(trackingId);
  const events: ComplaintEvent[] = [];
  let at = START + plan.day * DAY + plan.minute * 60_000;
  const state = (): ComplaintState => events.reduce(complaintDecider.evolve, complaintDecider.initialState());
  const run = (command: Omit<ComplaintCommand, 'metadata'>, actor: Actor): void => {
    try {
      events.push(...complaintDecider.decide({ ...command, metadata: { now: new Date(at).toISOString(), actor } } as ComplaintCommand, state()));
    } catch (error) {
      // refused: the story goes on without it
      if (events.length === 0) throw error;
    }
    at += 3_600_000;
  };
  const reporter: Actor = { role: 'reporter', id: `reporter-${name}`, nodeId: null };
  const confidential = plan.kind === 'wbs' || plan.confidentialAtSubmission;
  run(
    {
      type: 'SubmitComplaint',
      data: {
        complaintId,
        trackingId,
        kind: plan.kind,
        channel: 'web',
        title: name,
        description: 'cerita',
        occurredOn: null,
        location: 'Jl. Soekarno-Hatta, Kupang [-10.1772, 123.607]',
        attachments: [],
        addressedTo: tree.nodeRef(plan.addressedTo),
        reporter: null,
        reporterRef: reporter.id,
        anonymous: index % 3 === 0,
        confidential,
        externalReference: null,
      },
    },
    reporter,
  );
  for (const step of plan.steps) {
    const now = state();
    if (!now.submitted) break;
    const holder = tree.node(now.holder.id);
    const actor = { role: HANDLING_ROLE[holder.kind], id: `staff-${holder.id}`, nodeId: holder.id } as Actor;
    const children = tree.childrenOf(holder.id);
    if (step.action === 'verify' || step.action === 'verifyConfidential') {
      const data = { slaClass: 'tanpa_pengawasan' as const, category: 'UMUM', anonymous: now.anonymous, note: null };
      run({ type: 'VerifyComplaint', data: { complaintId, ...data, confidential: confidential || step.action === 'verifyConfidential' } }, actor);
    } else if (step.action === 'dispose' && children.length > 0) {
      const to = children[step.pick % children.length]!;
      run({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(to.id), tembusan: [], slaClass: null, note: null } }, actor);
    } else if (step.action === 'archive')
      run({ type: 'ArchiveComplaint', data: { complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } }, actor);
    else if (step.action === 'answer') run({ type: 'AnswerAspiration', data: { complaintId, answer: 'terima kasih', category: null } }, actor);
  }
  return events;
}

export const randomHistories = (count: number, seed: number): ComplaintEvent[][] =>
  fc.sample(Plan, { numRuns: count, seed }).map((plan, index) => tell(plan, index));
