import {
  buildOrganisationTree,
  complaintDecider,
  generateTrackingId,
  type Actor,
  type ComplaintCommand,
  type ComplaintEvent,
  type OrganisationNode,
} from '@lapor/domain';
import { createHash } from 'node:crypto';

// A small piece of the NTT tree, and complaints written through the real decider: the events a
// recap sees are the events the workflow would have stored.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'unit', id: 'dikbud', name: 'Dinas Pendidikan dan Kebudayaan', parentId: 'ntt' },
  { kind: 'subunit', id: 'dikbud-sma', name: 'Bidang Pembinaan SMA', parentId: 'dikbud' },
];
export const tree = buildOrganisationTree(NODES);

const admin: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'ntt' };
const liaison = (nodeId: string): Actor => ({ role: 'liaison', id: `pp-${nodeId}`, nodeId });
const scheduler: Actor = { role: 'system', id: 'scheduler', nodeId: null };

const uuidFrom = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
export const day = (isoDate: string, hour = 9): string => new Date(`${isoDate}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

/** One complaint's life, told step by step; each step runs through decide. */
export class Story {
  readonly events: ComplaintEvent[] = [];
  private readonly complaintId: string;
  private readonly reporter: Actor;
  private followUps = 0;

  constructor(name: string, receivedAt: string) {
    this.complaintId = uuidFrom(name);
    this.reporter = { role: 'reporter', id: `reporter-${name}`, nodeId: null };
    this.run(
      {
        type: 'SubmitComplaint',
        data: {
          complaintId: this.complaintId,
          trackingId: generateTrackingId((size) => createHash('sha256').update(name).digest().subarray(0, size)),
          kind: 'pengaduan',
          channel: 'web',
          title: name,
          description: 'cerita',
          occurredOn: null,
          location: null,
          attachments: [],
          addressedTo: tree.nodeRef('ntt'),
          reporter: null,
          reporterRef: this.reporter.id,
          anonymous: false,
          confidential: false,
          externalReference: null,
        },
      },
      this.reporter,
      receivedAt,
    );
  }

  verify(at: string, category = 'UMUM'): this {
    return this.run(
      {
        type: 'VerifyComplaint',
        data: { complaintId: this.complaintId, slaClass: 'tanpa_pengawasan', category, anonymous: false, confidential: false, note: null },
      },
      admin,
      at,
    );
  }

  postpone(at: string): this {
    return this.run(
      { type: 'RequestMissingData', data: { complaintId: this.complaintId, requestId: uuidFrom(`${this.complaintId}-req`), message: 'lengkapi' } },
      admin,
      at,
    );
  }

  archive(at: string): this {
    return this.run({ type: 'ArchiveComplaint', data: { complaintId: this.complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } }, admin, at);
  }

  dispose(to: string, at: string, by: Actor = admin): this {
    return this.run(
      { type: 'DisposeComplaint', data: { complaintId: this.complaintId, to: tree.nodeRef(to), tembusan: [], slaClass: null, note: null } },
      by,
      at,
    );
  }

  /** Bukan Wewenang: the unit sends it back up to its parent. */
  returnUp(unit: string, at: string): this {
    const parent = tree.node(unit).parentId!;
    return this.run(
      { type: 'ReturnComplaint', data: { complaintId: this.complaintId, to: tree.nodeRef(parent), reason: 'bukan kewenangan kami' } },
      liaison(unit),
      at,
    );
  }

  followUp(unit: string, at: string): this {
    this.followUps++;
    return this.run(
      { type: 'PostFollowUp', data: { complaintId: this.complaintId, followUpId: this.followUpId(), message: 'ditindaklanjuti', attachments: [] } },
      liaison(unit),
      at,
    );
  }

  /** The scheduler records the unit's first follow-up as late, `late` working days after `dueAt`. */
  firstFollowUpBreached(dueAt: string, at: string, late = 1): this {
    const state = this.events.reduce(complaintDecider.evolve, complaintDecider.initialState());
    const clockStartedAt = state.submitted && state.assignedAt ? state.assignedAt : dueAt;
    return this.run(
      { type: 'RecordSlaBreach', data: { complaintId: this.complaintId, stage: 'first_follow_up', clockStartedAt, dueAt, workingDaysLate: late } },
      scheduler,
      at,
    );
  }

  complete(at: string): this {
    return this.run({ type: 'CompleteComplaint', data: { complaintId: this.complaintId, lastFollowUpId: this.followUpId() } }, scheduler, at);
  }

  rate(rating: number, at: string): this {
    return this.run({ type: 'RateHandling', data: { complaintId: this.complaintId, rating, comment: null } }, this.reporter, at);
  }

  /** Disposition and follow-up to a unit, the usual path. */
  handledBy(unit: string, received: string, followedUp: string): this {
    return this.verify(received).dispose(unit, received).followUp(unit, followedUp);
  }

  private followUpId(): string {
    return uuidFrom(`${this.complaintId}-fu-${this.followUps}`);
  }

  private run(command: Omit<ComplaintCommand, 'metadata'>, actor: Actor, at: string): this {
    const state = this.events.reduce(complaintDecider.evolve, complaintDecider.initialState());
    this.events.push(...complaintDecider.decide({ ...command, metadata: { now: at, actor } } as ComplaintCommand, state));
    return this;
  }
}
