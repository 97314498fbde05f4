import { complaintDecider, type Actor, type ComplaintCommand, type ComplaintEvent, type ComplaintState, type NodeRef, type SlaStage } from '@lapor/domain';

// One complaint's life, each step a command through the real decider: the events the benchmark
// stores are events the workflow could have stored. A step dated after the horizon has not
// happened yet, and neither has anything after it: the complaint is still open.

type Step = ComplaintCommand extends infer C ? (C extends ComplaintCommand ? Omit<C, 'metadata'> : never) : never;

/** An admin typing in what a reporter who wrote a letter says names the channel (the decider requires it). */
const typedInBy = (by: Actor): { enteredVia?: 'letter' } => (by.role === 'reporter' ? {} : { enteredVia: 'letter' });

export const SCHEDULER: Actor = { role: 'system', id: 'scheduler', nodeId: null };

export class ComplaintLife {
  readonly events: ComplaintEvent[] = [];
  private state: ComplaintState = complaintDecider.initialState();
  /** When the last step happened; the next comes after it. */
  last: number;
  /** False once a step fell past the horizon. */
  live = true;
  private followUps = 0;
  private lastFollowUpId = '';

  constructor(
    readonly complaintId: string,
    private readonly horizon: number,
    private readonly newId: () => string,
  ) {
    this.last = 0;
  }

  submit(data: Omit<Extract<Step, { type: 'SubmitComplaint' }>['data'], 'complaintId'>, by: Actor, at: number): this {
    return this.run({ type: 'SubmitComplaint', data: { complaintId: this.complaintId, ...data } }, by, at);
  }

  verify(category: string, by: Actor, at: number): this {
    const data = { complaintId: this.complaintId, slaClass: 'tanpa_pengawasan', category, anonymous: false, confidential: false, note: null } as const;
    return this.run({ type: 'VerifyComplaint', data }, by, at);
  }

  postpone(by: Actor, at: number): this {
    const data = { complaintId: this.complaintId, requestId: this.newId(), message: 'Mohon lengkapi lokasi kejadian dan foto pendukung.' };
    return this.run({ type: 'RequestMissingData', data }, by, at);
  }

  supply(by: Actor, at: number): this {
    return this.run(
      {
        type: 'SupplyMissingData',
        data: { complaintId: this.complaintId, message: 'Lokasi: depan SDN 3, foto terlampir.', attachments: [], ...typedInBy(by) },
      },
      by,
      at,
    );
  }

  archive(reason: 'SPAM' | 'DUPLICATE' | 'NOT_PUBLIC_SERVICE' | 'INCOMPLETE', by: Actor, at: number): this {
    return this.run({ type: 'ArchiveComplaint', data: { complaintId: this.complaintId, reason, note: null, missingDataRequestId: null } }, by, at);
  }

  /** The scheduler's archive once a Tunda ran out. */
  timeOut(at: number): this {
    const request = this.state.submitted ? this.state.openRequest : null;
    const data = { complaintId: this.complaintId, reason: 'MISSING_DATA_TIMEOUT', note: null, missingDataRequestId: request?.requestId ?? null } as const;
    return this.run({ type: 'ArchiveComplaint', data }, SCHEDULER, at);
  }

  answer(by: Actor, at: number): this {
    return this.run(
      {
        type: 'AnswerAspiration',
        data: { complaintId: this.complaintId, answer: 'Terima kasih, aspirasi Anda kami teruskan sebagai bahan perencanaan.', category: null },
      },
      by,
      at,
    );
  }

  dispose(to: NodeRef, by: Actor, at: number): this {
    return this.run({ type: 'DisposeComplaint', data: { complaintId: this.complaintId, to, tembusan: [], slaClass: null, note: null } }, by, at);
  }

  /** Bukan Wewenang: back to the parent. */
  giveBack(to: NodeRef, by: Actor, at: number): this {
    return this.run(
      { type: 'ReturnComplaint', data: { complaintId: this.complaintId, to, reason: 'Bukan kewenangan unit kami; mohon didisposisikan ke dinas terkait.' } },
      by,
      at,
    );
  }

  followUp(by: Actor, at: number): this {
    const followUpId = this.newId();
    const data = {
      complaintId: this.complaintId,
      followUpId,
      message: `Tindak lanjut ke-${++this.followUps}: petugas telah meninjau lokasi.`,
      attachments: [],
    };
    this.run({ type: 'PostFollowUp', data }, by, at);
    if (this.live) this.lastFollowUpId = followUpId;
    return this;
  }

  reply(by: Actor, at: number): this {
    return this.run(
      {
        type: 'ReplyToFollowUp',
        data: { complaintId: this.complaintId, replyId: this.newId(), message: 'Belum ada perbaikan sampai hari ini.', attachments: [], ...typedInBy(by) },
      },
      by,
      at,
    );
  }

  complete(at: number): this {
    return this.run({ type: 'CompleteComplaint', data: { complaintId: this.complaintId, lastFollowUpId: this.lastFollowUpId } }, SCHEDULER, at);
  }

  rate(rating: number, by: Actor, at: number): this {
    return this.run({ type: 'RateHandling', data: { complaintId: this.complaintId, rating, comment: null } }, by, at);
  }

  remind(stage: SlaStage, clockStartedAt: number, dueAt: number, at: number): this {
    const data = { complaintId: this.complaintId, stage, clockStartedAt: iso(clockStartedAt), dueAt: iso(dueAt) };
    return this.run({ type: 'RecordSlaReminder', data }, SCHEDULER, at);
  }

  breach(stage: SlaStage, clockStartedAt: number, dueAt: number, workingDaysLate: number, at: number): this {
    const data = { complaintId: this.complaintId, stage, clockStartedAt: iso(clockStartedAt), dueAt: iso(dueAt), workingDaysLate };
    return this.run({ type: 'RecordSlaBreach', data }, SCHEDULER, at);
  }

  private run(step: Step, by: Actor, at: number): this {
    if (!this.live) return this;
    if (at > this.horizon) {
      this.live = false;
      return this;
    }
    if (at < this.last) throw new Error(`${step.type} at ${iso(at)} before the previous step at ${iso(this.last)}`);
    const events = complaintDecider.decide({ ...step, metadata: { now: iso(at), actor: by } } as ComplaintCommand, this.state);
    for (const event of events) this.state = complaintDecider.evolve(this.state, event);
    this.events.push(...events);
    this.last = at;
    return this;
  }
}

const iso = (instant: number): string => new Date(instant).toISOString();
