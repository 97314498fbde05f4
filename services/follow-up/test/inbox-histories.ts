import {
  buildOrganisationTree,
  complaintDecider,
  generateTrackingId,
  HANDLING_ROLE,
  type Actor,
  type Channel,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintKind,
  type ComplaintState,
  type OrganisationNode,
} from '@lapor/domain';
import fc from 'fast-check';
import { createHash } from 'node:crypto';

// Random complaint histories over a small tree of two instansi, written through the real decider:
// each step is a command the holder would give (verify, dispose down with tembusan, return up,
// follow up, archive), and a step the decider refuses is left out.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemprov NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'unit', id: 'dikbud', name: 'Dinas Dikbud', parentId: 'ntt' },
  { kind: 'subunit', id: 'dikbud-sma', name: 'Bidang SMA', parentId: 'dikbud' },
  { kind: 'instansi', id: 'batam', name: 'Pemkot Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'batam-dishub', name: 'Dishub Batam', parentId: 'batam' },
];
export const tree = buildOrganisationTree(NODES);

const uuidFrom = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const Step = fc.record({
  action: fc.constantFrom('verify', 'dispose', 'dispose', 'return', 'followUp', 'archive'),
  pick: fc.nat(100),
  copies: fc.array(fc.constantFrom('pupr', 'dikbud', 'dikbud-sma', 'batam-dishub'), { maxLength: 2 }),
});

/** Words titles are made of, for searches whose answer the oracle knows: no two alike in trigrams. */
export const TOPICS = ['jalan', 'sekolah', 'puskesmas', 'sampah', 'listrik'] as const;

const Plan = fc.record({
  topic: fc.constantFrom(...TOPICS),
  // few distinct minutes, so receipts tie and pages split ties
  minute: fc.integer({ min: 0, max: 40 }),
  addressedTo: fc.constantFrom('ntt', 'batam', 'nasional'),
  kind: fc.constantFrom<ComplaintKind>('pengaduan', 'aspirasi', 'permintaan_informasi'),
  channel: fc.constantFrom<Channel>('web', 'mobile_app'),
  category: fc.constantFrom('UMUM', 'Pendidikan'),
  steps: fc.array(Step, { maxLength: 6 }),
});
type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

const START = Date.parse('2024-03-01T01:00:00Z');

function tell(plan: Plan, index: number, start: number): ComplaintEvent[] {
  const name = `inbox-${index}`;
  const complaintId = uuidFrom(name);
  const events: ComplaintEvent[] = [];
  let at = start + plan.minute * 60_000;
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
  run(
    {
      type: 'SubmitComplaint',
      data: {
        complaintId,
        trackingId: generateTrackingId((size) => createHash('sha256').update(name).digest().subarray(0, size)),
        kind: plan.kind,
        channel: plan.channel,
        title: `${plan.topic} ${name}`,
        description: 'cerita',
        occurredOn: null,
        location: null,
        attachments: [],
        addressedTo: tree.nodeRef(plan.addressedTo),
        reporter: null,
        reporterRef: reporter.id,
        anonymous: false,
        confidential: false,
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
    if (step.action === 'verify')
      run(
        {
          type: 'VerifyComplaint',
          data: { complaintId, slaClass: 'tanpa_pengawasan', category: plan.category, anonymous: false, confidential: false, note: null },
        },
        actor,
      );
    else if (step.action === 'dispose' && children.length > 0) {
      const to = children[step.pick % children.length]!;
      const tembusan = [...new Set(step.copies)].filter((id) => id !== to.id);
      run({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(to.id), tembusan, slaClass: null, note: null } }, actor);
    } else if (step.action === 'return' && holder.parentId)
      run({ type: 'ReturnComplaint', data: { complaintId, to: tree.nodeRef(holder.parentId), reason: 'bukan kewenangan kami' } }, actor);
    else if (step.action === 'followUp')
      run({ type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${name}-${at}`), message: 'ditindaklanjuti', attachments: [] } }, actor);
    else if (step.action === 'archive') run({ type: 'ArchiveComplaint', data: { complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } }, actor);
  }
  return events;
}

/** `count` stories from `seed`; `later` ones are received that many days after the others (complaints arriving while a list is read). */
export const randomHistories = (count: number, seed: number, later?: { readonly firstIndex: number; readonly days: number }): ComplaintEvent[][] =>
  fc.sample(Plan, { numRuns: count, seed }).map((plan, index) => tell(plan, (later?.firstIndex ?? 0) + index, START + (later?.days ?? 0) * 86_400_000));
