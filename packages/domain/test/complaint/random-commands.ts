import fc from 'fast-check';
import type { Actor, ArchiveReason, Channel, ComplaintCommand, ComplaintCommandType, ComplaintKind, ComplaintState, NodeRef, SlaStage } from '../../src';
import { HANDLING_ROLE } from '../../src';
import { actors, COMPLAINT_ID, NODES, ref, tree, uuid } from './fixtures';

// Random command sequences for the property tests. Purely random commands would almost all
// be refused (wrong actor, wrong node, wrong ids) and the lifecycle would never get past
// submission. So each step says, for each choice, whether to make the choice that fits the
// current state (the holder's admin, a child of the holder, the open request id…) or an
// arbitrary one. Both kinds of step matter: the fitting ones walk the complaint through its
// life, the arbitrary ones probe every refusal on the way.

const COMMAND_TYPES: readonly ComplaintCommandType[] = [
  'SubmitComplaint',
  'VerifyComplaint',
  'RequestMissingData',
  'SupplyMissingData',
  'ArchiveComplaint',
  'AnswerAspiration',
  'DisposeComplaint',
  'ReturnComplaint',
  'HandOverToSuccessor',
  'PostFollowUp',
  'ReplyToFollowUp',
  'CompleteComplaint',
  'RateHandling',
  'RecordSlaReminder',
  'RecordSlaBreach',
];

const ACTORS: readonly Actor[] = Object.values(actors);
const KINDS: readonly ComplaintKind[] = ['pengaduan', 'aspirasi', 'permintaan_informasi', 'wbs'];
const CHANNELS: readonly Channel[] = ['web', 'mobile_app', 'sms_1708', 'social_media', 'email', 'letter', 'face_to_face', 'call_centre', 'integration'];
const REASONS: readonly ArchiveReason[] = ['SPAM', 'DUPLICATE', 'NOT_PUBLIC_SERVICE', 'INCOMPLETE', 'MISSING_DATA_TIMEOUT', 'OTHER'];
const STAGES: readonly SlaStage[] = ['verification', 'first_follow_up', 'completion'];

export type Step = {
  type: ComplaintCommandType;
  /** Ignore `type` and pick a command that makes sense in the current status. */
  fittingType: boolean;
  typePick: number;
  fittingActor: boolean;
  fittingTarget: boolean;
  fittingIds: boolean;
  pick: number;
  kind: ComplaintKind;
  channel: Channel;
  anonymous: boolean;
  confidential: boolean;
  reason: ArchiveReason;
  blankText: boolean;
  rating: number;
  stage: SlaStage;
  hoursLater: number;
  dueInHours: number;
  workingDaysLate: number;
};

const mostly = fc.integer({ min: 0, max: 99 }).map((n) => n < 80);

export const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  fittingType: fc.integer({ min: 0, max: 99 }).map((n) => n < 90),
  typePick: fc.nat(1000),
  fittingActor: mostly,
  fittingTarget: mostly,
  fittingIds: mostly,
  pick: fc.nat(1000),
  kind: fc.constantFrom(...KINDS),
  channel: fc.constantFrom(...CHANNELS),
  anonymous: fc.boolean(),
  confidential: fc.boolean(),
  reason: fc.constantFrom(...REASONS),
  blankText: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  rating: fc.integer({ min: -1, max: 7 }),
  stage: fc.constantFrom(...STAGES),
  hoursLater: fc.integer({ min: 0, max: 120 }),
  dueInHours: fc.integer({ min: -100, max: 100 }),
  workingDaysLate: fc.integer({ min: 0, max: 5 }),
});

const times = (n: number, type: ComplaintCommandType): ComplaintCommandType[] => Array.from({ length: n }, () => type);

/** Commands an officer would expect next in each status; more copies, more often. */
function plausibleTypes(state: ComplaintState): readonly ComplaintCommandType[] {
  if (!state.submitted) return ['SubmitComplaint'];
  switch (state.status) {
    case 'BELUM_TERVERIFIKASI':
      return state.verifiedAt === null
        ? [
            ...times(6, 'VerifyComplaint'),
            'RequestMissingData',
            'ArchiveComplaint',
            'AnswerAspiration',
            'ReturnComplaint',
            'RecordSlaReminder',
            'RecordSlaBreach',
          ]
        : [...times(6, 'DisposeComplaint'), 'ReturnComplaint', 'RequestMissingData', 'ArchiveComplaint', 'AnswerAspiration'];
    case 'TUNDA':
      return [...times(3, 'SupplyMissingData'), 'ArchiveComplaint', 'RecordSlaBreach'];
    case 'BELUM_DITINDAKLANJUTI':
      return [...times(4, 'PostFollowUp'), 'ReturnComplaint', 'DisposeComplaint', 'HandOverToSuccessor', 'RecordSlaReminder', 'RecordSlaBreach'];
    case 'PROSES':
      return [...times(2, 'ReplyToFollowUp'), ...times(2, 'CompleteComplaint'), 'PostFollowUp', 'ReturnComplaint', 'RecordSlaReminder', 'RecordSlaBreach'];
    case 'SELESAI':
      return ['RateHandling', 'RecordSlaBreach', 'ReplyToFollowUp', 'PostFollowUp'];
    case 'ARSIP':
      return ['RecordSlaBreach', 'VerifyComplaint', 'SupplyMissingData', 'ArchiveComplaint'];
    default: {
      const unhandled: never = state.status;
      return unhandled;
    }
  }
}

/** The complaint starts with a submission most of the time, then anything may follow. */
export const sequenceArbitrary: fc.Arbitrary<Step[]> = fc
  .tuple(stepArbitrary, fc.array(stepArbitrary, { maxLength: 60, size: 'max' }))
  .map(([first, rest]) => [{ ...first, type: 'SubmitComplaint' as const, fittingActor: true }, ...rest]);

const choose = <T>(items: readonly T[], pick: number): T => {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error('nothing to choose from');
  return item;
};

const holderActor = (state: ComplaintState): Actor | undefined =>
  state.submitted ? ACTORS.find((a) => a.nodeId === state.holder.id && a.role === HANDLING_ROLE[state.holder.kind]) : undefined;
const reporterActor = (state: ComplaintState): Actor | undefined =>
  state.submitted ? ACTORS.find((a) => a.role === 'reporter' && a.id === state.reporterRef) : undefined;

function fittingActor(type: ComplaintCommandType, state: ComplaintState, step: Step): Actor | undefined {
  switch (type) {
    case 'SubmitComplaint':
      // mostly the reporter on the web, sometimes a door an officer or a gateway opens
      return choose([actors.reporter, actors.reporter, actors.smsGateway, actors.adminNtt, actors.nttSystem, actors.adminNasional], step.pick);
    case 'SupplyMissingData':
    case 'ReplyToFollowUp':
    case 'RateHandling':
      return reporterActor(state) ?? holderActor(state);
    case 'CompleteComplaint':
    case 'RecordSlaReminder':
    case 'RecordSlaBreach':
    case 'HandOverToSuccessor':
      return actors.scheduler;
    case 'ArchiveComplaint':
      return step.reason === 'MISSING_DATA_TIMEOUT' ? actors.scheduler : holderActor(state);
    case 'VerifyComplaint':
    case 'RequestMissingData':
    case 'AnswerAspiration':
    case 'DisposeComplaint':
    case 'ReturnComplaint':
    case 'PostFollowUp':
      return holderActor(state);
    default: {
      const unhandled: never = type;
      return unhandled;
    }
  }
}

function fittingChannel(actor: Actor): Channel {
  switch (actor.role) {
    case 'reporter':
      return 'web';
    case 'integration':
      return actor.nodeId ? 'integration' : 'sms_1708';
    case 'admin_nasional':
    case 'admin_instansi':
    case 'liaison':
    case 'system':
      return 'letter';
  }
}

function clockStart(state: ComplaintState, stage: SlaStage): string | null {
  if (!state.submitted) return null;
  return stage === 'verification' ? state.receivedAt : state.assignedAt;
}

/** Builds the step's command against the current state, at `now`. */
export function buildCommand(given: Step, state: ComplaintState, now: string, serial: number): ComplaintCommand {
  const step = given.fittingType ? { ...given, type: choose(plausibleTypes(state), given.typePick) } : given;
  const actor = (step.fittingActor && fittingActor(step.type, state, step)) || choose(ACTORS, step.pick);
  const metadata = { now, actor };
  const complaintId = COMPLAINT_ID;
  const text = step.blankText ? ' ' : `teks ${serial}`;
  const later = (hours: number) => new Date(Date.parse(now) + hours * 3_600_000).toISOString();
  const freshId = uuid(10_000 + serial);
  const anyNode = (): NodeRef => ref(choose(NODES, step.pick).id);

  switch (step.type) {
    case 'SubmitComplaint': {
      const channel = step.fittingActor ? fittingChannel(actor) : step.channel;
      const addressedTo = step.fittingTarget
        ? ref(actor.nodeId && actor.role !== 'liaison' ? actor.nodeId : choose(['nasional', 'pemprov-ntt', 'pemkot-batam'], step.pick))
        : anyNode();
      return {
        type: 'SubmitComplaint',
        data: {
          complaintId,
          trackingId: step.fittingIds ? 'LAP-7KQ2M9XH4D' : 'LAP-IIII0000OO',
          kind: step.kind,
          channel,
          title: 'Judul',
          description: text,
          occurredOn: null,
          location: null,
          attachments: [],
          addressedTo,
          reporter: null,
          reporterRef: actor.role === 'reporter' ? null : 'ref-luar',
          anonymous: step.anonymous,
          confidential: step.confidential || (step.kind === 'wbs' && step.fittingIds),
          externalReference: null,
        },
        metadata,
      };
    }
    case 'VerifyComplaint':
      return {
        type: 'VerifyComplaint',
        data: {
          complaintId,
          slaClass: choose(['informasi_normatif', 'tanpa_pengawasan', 'pengawasan_lapangan'] as const, step.pick),
          category: 'PUNGLI',
          // fitting: keep what was asked for, add protection at random
          anonymous: step.fittingIds && state.submitted ? state.requestedProtection.anonymous || step.anonymous : step.anonymous,
          confidential:
            step.fittingIds && state.submitted ? state.requestedProtection.confidential || state.kind === 'wbs' || step.confidential : step.confidential,
          note: null,
        },
        metadata,
      };
    case 'RequestMissingData':
      return { type: 'RequestMissingData', data: { complaintId, requestId: freshId, message: text }, metadata };
    case 'SupplyMissingData':
      return { type: 'SupplyMissingData', data: { complaintId, message: text, attachments: [] }, metadata };
    case 'ArchiveComplaint': {
      const openRequest = state.submitted ? state.openRequest?.requestId : undefined;
      return {
        type: 'ArchiveComplaint',
        data: {
          complaintId,
          reason: step.reason,
          note: step.blankText ? null : text,
          missingDataRequestId: step.fittingIds && openRequest ? openRequest : freshId,
        },
        metadata,
      };
    }
    case 'AnswerAspiration':
      return { type: 'AnswerAspiration', data: { complaintId, answer: text, category: null }, metadata };
    case 'DisposeComplaint': {
      const children = state.submitted ? tree.childrenOf(state.holder.id) : [];
      const to = step.fittingTarget && children.length > 0 ? ref(choose(children, step.pick).id) : anyNode();
      const tembusan = step.pick % 3 === 0 ? [choose(NODES, step.pick + 1).id] : [];
      const slaClass = step.pick % 4 === 0 ? 'pengawasan_lapangan' : null;
      return { type: 'DisposeComplaint', data: { complaintId, to, tembusan, slaClass, note: null }, metadata };
    }
    case 'ReturnComplaint': {
      const parentId = state.submitted ? state.holder.parentId : null;
      const to = step.fittingTarget && parentId ? ref(parentId) : anyNode();
      return { type: 'ReturnComplaint', data: { complaintId, to, reason: text }, metadata };
    }
    case 'HandOverToSuccessor': {
      // fitting: from the holder to another unit of its instansi, as a merge would
      const holder = state.submitted ? state.holder : null;
      const siblings = holder?.parentId ? tree.childrenOf(holder.parentId).filter((node) => node.id !== holder.id) : [];
      const to = step.fittingTarget && siblings.length > 0 ? ref(choose(siblings, step.pick).id) : anyNode();
      const from = step.fittingIds && holder ? holder.id : choose(NODES, step.pick + 1).id;
      const toInstansiId = tree.instansiOf(to.id)?.id ?? 'nasional';
      return { type: 'HandOverToSuccessor', data: { complaintId, from, to, toInstansiId, reason: step.pick % 2 === 0 ? 'MERGE' : 'SPLIT' }, metadata };
    }
    case 'PostFollowUp': {
      const existing = state.submitted ? state.followUps[0]?.followUpId : undefined;
      return {
        type: 'PostFollowUp',
        data: { complaintId, followUpId: !step.fittingIds && existing ? existing : freshId, message: text, attachments: [] },
        metadata,
      };
    }
    case 'ReplyToFollowUp':
      return { type: 'ReplyToFollowUp', data: { complaintId, replyId: freshId, message: text, attachments: [] }, metadata };
    case 'CompleteComplaint': {
      const last = state.submitted ? state.lastFollowUp?.followUpId : undefined;
      return { type: 'CompleteComplaint', data: { complaintId, lastFollowUpId: step.fittingIds && last ? last : freshId }, metadata };
    }
    case 'RateHandling':
      return { type: 'RateHandling', data: { complaintId, rating: step.rating, comment: null }, metadata };
    case 'RecordSlaReminder':
    case 'RecordSlaBreach': {
      const started = clockStart(state, step.stage);
      const timer = {
        complaintId,
        stage: step.stage,
        clockStartedAt: step.fittingIds && started ? started : later(-500),
        dueAt: later(step.dueInHours),
      };
      return step.type === 'RecordSlaReminder'
        ? { type: 'RecordSlaReminder', data: timer, metadata }
        : { type: 'RecordSlaBreach', data: { ...timer, workingDaysLate: step.workingDaysLate }, metadata };
    }
    default: {
      const unhandled: never = step.type;
      return unhandled;
    }
  }
}
