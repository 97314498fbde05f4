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

// Random complaint histories from several senders, written through the real decider: integrating
// systems of two instansi (one of them with two keys, which share their list), national keys (each
// its own list), citizens and staff (on no system's list). Each complaint then moves on as its
// holder would have it (verify, dispose, return, follow up, archive); a step the decider refuses is
// left out. Changes fall on few distinct minutes, so last changes tie across complaints and a page
// splits ties.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemprov NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'instansi', id: 'batam', name: 'Pemkot Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'batam-dishub', name: 'Dishub Batam', parentId: 'batam' },
];
const tree = buildOrganisationTree(NODES);

const uuidFrom = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export const START = Date.parse('2024-03-01T01:00:00Z');
const MINUTE = 60_000;

/** Who sends: one of the systems given (by index), a citizen, or an instansi's admin typing in a letter. */
const Sender = fc.oneof(
  { weight: 4, arbitrary: fc.nat(100).map((pick) => ({ by: 'system' as const, pick })) },
  { weight: 1, arbitrary: fc.constant({ by: 'citizen' as const, pick: 0 }) },
  { weight: 1, arbitrary: fc.constant({ by: 'staff' as const, pick: 0 }) },
);

const Plan = fc.record({
  sender: Sender,
  minute: fc.integer({ min: 0, max: 30 }),
  addressedTo: fc.constantFrom('ntt', 'batam', 'nasional'),
  kind: fc.constantFrom<ComplaintKind>('pengaduan', 'aspirasi', 'permintaan_informasi'),
  withReference: fc.boolean(),
  steps: fc.array(
    fc.record({
      action: fc.constantFrom('verify', 'verify', 'dispose', 'dispose', 'dispose', 'followUp', 'followUp', 'return', 'archive'),
      pick: fc.nat(100),
      // minutes after the last change: none (ties within a complaint), a few, or many
      after: fc.constantFrom(0, 1, 7, 90),
    }),
    { maxLength: 8 },
  ),
});
type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

function tell(plan: Plan, index: number, systems: readonly Actor[]): ComplaintEvent[] {
  const name = `systems-${index}`;
  const trackingId = generateTrackingId((size) => createHash('sha256').update(name).digest().subarray(0, size));
  // as intake derives it from the tracking id
  const complaintId = complaintIdForTrackingId(trackingId);
  const events: ComplaintEvent[] = [];
  let at = START + plan.minute * MINUTE;
  const state = (): ComplaintState => events.reduce(complaintDecider.evolve, complaintDecider.initialState());
  const run = (command: Omit<ComplaintCommand, 'metadata'>, actor: Actor): void => {
    try {
      events.push(...complaintDecider.decide({ ...command, metadata: { now: new Date(at).toISOString(), actor } } as ComplaintCommand, state()));
    } catch (error) {
      // refused: the story goes on without it
      if (events.length === 0) throw error;
    }
  };
  const system = plan.sender.by === 'system' ? systems[plan.sender.pick % systems.length]! : undefined;
  const sender: Actor =
    system ??
    (plan.sender.by === 'citizen'
      ? { role: 'reporter', id: `reporter-${name}`, nodeId: null }
      : { role: 'admin_instansi', id: `admin-${plan.addressedTo}`, nodeId: plan.addressedTo === 'nasional' ? 'ntt' : plan.addressedTo });
  // an instansi's system and its admin send to their own instansi only
  const addressedTo = sender.role === 'reporter' || sender.nodeId === null ? plan.addressedTo : sender.nodeId;
  run(
    {
      type: 'SubmitComplaint',
      data: {
        complaintId,
        trackingId,
        kind: plan.kind,
        channel: system ? 'integration' : sender.role === 'reporter' ? 'web' : 'letter',
        title: name,
        description: 'cerita',
        occurredOn: null,
        location: null,
        attachments: [],
        addressedTo: tree.nodeRef(addressedTo),
        reporter: null,
        reporterRef: sender.role === 'reporter' ? sender.id : null,
        anonymous: false,
        confidential: false,
        externalReference: plan.withReference ? `REF/${index}` : null,
      },
    },
    sender,
  );
  for (const step of plan.steps) {
    at += step.after * MINUTE;
    const now = state();
    if (!now.submitted) break;
    const holder = tree.node(now.holder.id);
    const actor = { role: HANDLING_ROLE[holder.kind], id: `staff-${holder.id}`, nodeId: holder.id } as Actor;
    const children = tree.childrenOf(holder.id);
    if (step.action === 'verify')
      run(
        { type: 'VerifyComplaint', data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'UMUM', anonymous: false, confidential: false, note: null } },
        actor,
      );
    else if (step.action === 'dispose' && children.length > 0) {
      const to = children[step.pick % children.length]!;
      run({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(to.id), tembusan: [], slaClass: null, note: null } }, actor);
    } else if (step.action === 'return' && holder.parentId)
      run({ type: 'ReturnComplaint', data: { complaintId, to: tree.nodeRef(holder.parentId), reason: 'bukan kewenangan kami' } }, actor);
    else if (step.action === 'followUp')
      run(
        { type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${name}-${events.length}`), message: 'ditindaklanjuti', attachments: [] } },
        actor,
      );
    else if (step.action === 'archive') run({ type: 'ArchiveComplaint', data: { complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } }, actor);
  }
  return events;
}

/** `count` histories, the systems' complaints sent by one of `systems` (integration actors, as their keys make them). */
export const randomHistories = (count: number, seed: number, systems: readonly Actor[]): ComplaintEvent[][] =>
  fc.sample(Plan, { numRuns: count, seed }).map((plan, index) => tell(plan, index, systems));
