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
// each step is a command its author would give (the holder verifies, asks for missing data, disposes
// down with tembusan, returns up, follows up, archives; the reporter supplies data, replies, rates;
// the scheduler closes), and a step the decider refuses is left out. For the specs that hold a read
// side written a page at a time to the same read side written event by event, and for oracles.

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
  action: fc.constantFrom(
    // the next step a complaint usually takes (verify, dispose down, follow up, close, rate), five times in twenty
    'advance',
    'advance',
    'advance',
    'advance',
    'advance',
    'verify',
    'verify',
    'verify',
    'dispose',
    'dispose',
    'dispose',
    'return',
    'followUp',
    'followUp',
    'followUp',
    'archive',
    'requestMissingData',
    'supplyMissingData',
    'reply',
    'complete',
    'rate',
  ),
  pick: fc.nat(100),
  copies: fc.array(fc.constantFrom('pupr', 'dikbud', 'dikbud-sma', 'batam-dishub'), { maxLength: 2 }),
  // a verification that makes one complaint in four confidential
  confidential: fc.nat(3).map((n) => n === 0),
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
  steps: fc.array(Step, { minLength: 3, maxLength: 12 }),
});
type Step = typeof Step extends fc.Arbitrary<infer T> ? T : never;
type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

const START = Date.parse('2024-03-01T01:00:00Z');

function tell(plan: Plan, index: number, start: number): ComplaintEvent[] {
  const name = `inbox-${index}`;
  const complaintId = uuidFrom(name);
  const events: ComplaintEvent[] = [];
  let at = start + plan.minute * 60_000;
  let lastFollowUpId: string | null = null;
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
  const scheduler: Actor = { role: 'system', id: 'scheduler', nodeId: null };
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
    const followUpId = uuidFrom(`${name}-${at}`);
    const action = step.action === 'advance' ? nextUsualStep(now, children.length > 0, lastFollowUpId) : step.action;
    if (action === 'verify')
      run(
        {
          type: 'VerifyComplaint',
          data: { complaintId, slaClass: 'tanpa_pengawasan', category: plan.category, anonymous: false, confidential: step.confidential, note: null },
        },
        actor,
      );
    else if (action === 'dispose' && children.length > 0) {
      const to = children[step.pick % children.length]!;
      const tembusan = [...new Set(step.copies)].filter((id) => id !== to.id);
      run({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(to.id), tembusan, slaClass: null, note: null } }, actor);
    } else if (action === 'return' && holder.parentId)
      run({ type: 'ReturnComplaint', data: { complaintId, to: tree.nodeRef(holder.parentId), reason: 'bukan kewenangan kami' } }, actor);
    else if (action === 'followUp') {
      const before = events.length;
      run({ type: 'PostFollowUp', data: { complaintId, followUpId, message: 'ditindaklanjuti', attachments: [] } }, actor);
      if (events.length > before) lastFollowUpId = followUpId;
    } else if (action === 'archive' && step.pick < 25)
      run({ type: 'ArchiveComplaint', data: { complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } }, actor);
    else if (action === 'requestMissingData' && step.pick < 40)
      run({ type: 'RequestMissingData', data: { complaintId, requestId: followUpId, message: 'mohon lengkapi lokasi' } }, actor);
    else if (action === 'supplyMissingData') run({ type: 'SupplyMissingData', data: { complaintId, message: 'di depan SD 3', attachments: [] } }, reporter);
    else if (action === 'reply')
      run({ type: 'ReplyToFollowUp', data: { complaintId, replyId: followUpId, message: 'belum selesai', attachments: [] } }, reporter);
    else if (action === 'complete' && lastFollowUpId) {
      // the scheduler closes a complaint once ten working days have passed without a reply
      at += 20 * 86_400_000;
      run({ type: 'CompleteComplaint', data: { complaintId, lastFollowUpId } }, scheduler);
    } else if (action === 'rate') run({ type: 'RateHandling', data: { complaintId, rating: 1 + (step.pick % 5), comment: null } }, reporter);
  }
  return events;
}

/** What a complaint usually does next: verified (its missing data supplied), disposed down to a unit, followed up, closed, rated. */
function nextUsualStep(state: ComplaintState, canDispose: boolean, lastFollowUpId: string | null): Step['action'] {
  if (!state.submitted || state.status === 'BELUM_TERVERIFIKASI') return 'verify';
  if (state.status === 'TUNDA') return 'supplyMissingData';
  if (state.status === 'SELESAI') return 'rate';
  if (lastFollowUpId) return 'complete';
  return canDispose ? 'dispose' : 'followUp';
}

/** `count` stories from `seed`; `later` ones are received that many days after the others (complaints arriving while a list is read). */
export const randomHistories = (count: number, seed: number, later?: { readonly firstIndex: number; readonly days: number }): ComplaintEvent[][] =>
  fc.sample(Plan, { numRuns: count, seed }).map((plan, index) => tell(plan, (later?.firstIndex ?? 0) + index, START + (later?.days ?? 0) * 86_400_000));

/** How many events of each type the histories hold: for a spec to show its histories reach what it is about. */
export function eventTypesIn(histories: readonly (readonly ComplaintEvent[])[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of histories.flat()) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return counts;
}

export { specDatabase, writeByEventAndByPage } from './page-spec';
