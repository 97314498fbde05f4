import { loadCalendar, WIB, WIT, WITA, type IndonesianZone } from '@lapor/calendar';
import {
  buildOrganisationTree,
  complaintDecider,
  DEFAULT_SLA_CONFIGURATION,
  generateTrackingId,
  type Actor,
  type Complaint,
  type ComplaintCommand,
  type ComplaintEvent,
  type OrganisationNode,
  type SlaClass,
} from '@lapor/domain';
import { createHash } from 'node:crypto';
import { commandFor, plannedTimers, planTimers, type PlannedTimer, type PlanningRules, type TimerKind, type TimerPlan } from '../src';

// Complaints written through the real decider, in three provinces, one per Indonesian zone: the
// state the planner reads is the state the workflow would have folded.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
  { kind: 'unit', id: 'dikbud', name: 'Dinas Pendidikan dan Kebudayaan', parentId: 'ntt' },
  { kind: 'instansi', id: 'dki', name: 'Pemerintah Provinsi DKI Jakarta', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'dki-bina-marga', name: 'Dinas Bina Marga', parentId: 'dki' },
  { kind: 'instansi', id: 'papua', name: 'Pemerintah Provinsi Papua', parentId: 'nasional', timeZone: 'Asia/Jayapura' },
  { kind: 'unit', id: 'papua-kesehatan', name: 'Dinas Kesehatan', parentId: 'papua' },
];
export const tree = buildOrganisationTree(NODES);

export const calendar = loadCalendar();
export const ZONE_OF: Readonly<Record<string, IndonesianZone>> = { ntt: WITA, dki: WIB, papua: WIT };
export const rulesIn = (zone: IndonesianZone): PlanningRules => ({ policy: DEFAULT_SLA_CONFIGURATION, calendar, zoneOf: () => zone });

const scheduler: Actor = { role: 'system', id: 'scheduler', nodeId: null };
const adminOf = (instansi: string): Actor => ({ role: 'admin_instansi', id: `admin-${instansi}`, nodeId: instansi });
const liaison = (unit: string): Actor => ({ role: 'liaison', id: `pp-${unit}`, nodeId: unit });

const uuidFrom = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A wall-clock moment in WITA (NTT), e.g. wita('2025-03-27 10:00'), as the store writes it (UTC). */
export const wita = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString();

/** One complaint's life, told step by step; each step runs through decide. */
export class Story {
  readonly events: ComplaintEvent[] = [];
  readonly complaintId: string;
  readonly zone: IndonesianZone;
  private readonly reporter: Actor;
  private readonly admin: Actor;
  private followUps = 0;
  private requests = 0;
  private replies = 0;

  constructor(
    name: string,
    receivedAt: string,
    readonly instansi = 'ntt',
  ) {
    this.complaintId = uuidFrom(name);
    this.zone = ZONE_OF[instansi]!;
    this.reporter = { role: 'reporter', id: `reporter-${name}`, nodeId: null };
    this.admin = adminOf(instansi);
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
          addressedTo: tree.nodeRef(instansi),
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

  /** The complaint as the decider folds it from the events so far. */
  get state(): Complaint {
    const state = this.events.reduce(complaintDecider.evolve, complaintDecider.initialState());
    if (!state.submitted) throw new Error('no complaint');
    return state;
  }

  /** The timers the planner derives now, in the instansi's zone unless told otherwise. */
  timers(zone: IndonesianZone = this.zone): PlannedTimer[] {
    return plannedTimers(this.state, rulesIn(zone));
  }

  /** The whole plan: timers, and those waiting for a calendar year. */
  plan(zone: IndonesianZone = this.zone): TimerPlan {
    return planTimers(this.state, rulesIn(zone));
  }

  /** The one planned timer of a kind (and stage); fails when there is none or more than one. */
  timer(kind: TimerKind, stage?: PlannedTimer['stage']): PlannedTimer {
    const found = this.timers().filter((timer) => timer.kind === kind && (stage === undefined || timer.stage === stage));
    if (found.length !== 1) throw new Error(`expected one ${kind} ${stage ?? ''} timer, planned: ${JSON.stringify(found)}`);
    return found[0]!;
  }

  verify(at: string, slaClass: SlaClass = 'tanpa_pengawasan'): this {
    return this.run(
      { type: 'VerifyComplaint', data: { complaintId: this.complaintId, slaClass, category: 'UMUM', anonymous: false, confidential: false, note: null } },
      this.admin,
      at,
    );
  }

  /** Tunda: the admin asks the reporter for missing data. */
  postpone(at: string): this {
    this.requests++;
    return this.run(
      {
        type: 'RequestMissingData',
        data: { complaintId: this.complaintId, requestId: uuidFrom(`${this.complaintId}-req-${this.requests}`), message: 'lengkapi' },
      },
      this.admin,
      at,
    );
  }

  supplyData(at: string): this {
    return this.run({ type: 'SupplyMissingData', data: { complaintId: this.complaintId, message: 'ini datanya', attachments: [] } }, this.reporter, at);
  }

  archive(at: string): this {
    return this.run(
      { type: 'ArchiveComplaint', data: { complaintId: this.complaintId, reason: 'SPAM', note: null, missingDataRequestId: null } },
      this.admin,
      at,
    );
  }

  dispose(unit: string, at: string): this {
    return this.run(
      { type: 'DisposeComplaint', data: { complaintId: this.complaintId, to: tree.nodeRef(unit), tembusan: [], slaClass: null, note: null } },
      this.admin,
      at,
    );
  }

  /** Bukan Wewenang: the unit sends it back up to its instansi. */
  returnUp(unit: string, at: string): this {
    return this.run(
      { type: 'ReturnComplaint', data: { complaintId: this.complaintId, to: tree.nodeRef(this.instansi), reason: 'bukan kewenangan kami' } },
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

  reply(at: string): this {
    this.replies++;
    return this.run(
      {
        type: 'ReplyToFollowUp',
        data: { complaintId: this.complaintId, replyId: uuidFrom(`${this.complaintId}-reply-${this.replies}`), message: 'belum selesai', attachments: [] },
      },
      this.reporter,
      at,
    );
  }

  complete(at: string): this {
    return this.run({ type: 'CompleteComplaint', data: { complaintId: this.complaintId, lastFollowUpId: this.followUpId() } }, scheduler, at);
  }

  /** Verified, disposed to a unit and (optionally) followed up: the usual path. */
  withUnit(unit: string, at: string, slaClass: SlaClass = 'tanpa_pengawasan'): this {
    return this.verify(at, slaClass).dispose(unit, at);
  }

  /** The scheduler fires a timer at its due moment: the command runs through decide. */
  fire(timer: PlannedTimer, now: Date = new Date(timer.dueAt)): this {
    this.events.push(...complaintDecider.decide(commandFor(timer, now, calendar), this.state));
    return this;
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

/** The same instant, however it is written: deadlines compare as instants. */
export const at = (iso: string): Date => new Date(iso);
