import {
  complaintDecider,
  complaintStream,
  DomainError,
  generateTrackingId,
  type Actor,
  type Complaint,
  type ComplaintCommand,
  type ComplaintState,
  type OrganisationTree,
  type TrackingId,
} from '@lapor/domain';
import { DuplicateEventIdError, WrongExpectedVersionError } from '@lapor/event-store';
import type { WorkflowContext } from '@lapor/http-kit';
import type { ReporterIdentity } from '@lapor/personal-data';
import { SubmissionBody, submitComplaint } from '@lapor/submission';
import { complaintIdForTrackingId, fromStoredEvent, uuidV5, type LoadedComplaint } from '@lapor/workflow';
import { createHmac } from 'node:crypto';
import type { SmsConfig } from '../config';
import { cleanText, parseSms, titleOf, type SmsIntent } from '../grammar/parse';
import {
  closedText,
  helpText,
  missingDataReceivedText,
  noFollowUpYetText,
  notYoursText,
  refusedText,
  replyReceivedText,
  statusText,
  submittedText,
} from '../grammar/replies';
import { SMS_ACTOR_PREFIX } from '../notify/notifier';
import type { QueuedSms } from '../outbox/outbox';
import type { E164 } from '../phone/e164';
import { reporterRefForPhone } from '../phone/reporter-ref';

const COMMAND_NAMESPACE = '6f3c2a1e-8b7d-4c5a-9e0f-1d2b3c4a5e6f';
/** The identity sealed for an SMS sender: the number is all the channel knows; an admin may learn the name later. */
export const SMS_REPORTER_NAME = 'Pelapor SMS 1708';

/** One message from the provider, authenticated, its sender's number normalised. */
export interface InboundSms {
  readonly provider: string;
  readonly messageId: string;
  readonly phone: E164;
  readonly text: string;
}

export type InboundAction = 'submitted' | 'status' | 'replied' | 'missing_data_supplied' | 'refused' | 'help';

/** What the provider is answered (and answered again on a retry): never the number, never the text. */
export interface InboundAnswer {
  readonly messageId: string;
  readonly action: InboundAction;
  readonly trackingId?: string;
  /** Why the reporter was sent help instead: the grammar's reason, or what refused the request. */
  readonly reason?: string;
  readonly repliesQueued: number;
}

export interface Acted {
  readonly answer: InboundAnswer;
  /** The replies to queue with the answer; the phone they go to is sealed already. */
  readonly replies: readonly QueuedSms[];
}

export interface ActDependencies {
  readonly context: WorkflowContext;
  readonly config: SmsConfig;
  readonly log?: { warn(object: object, message: string): void };
}

/** Ids that follow from the provider's message, so a request retried after a crash meets what it did before. */
const messageKey = (sms: InboundSms): string => `${sms.provider}:${sms.messageId}`;
const commandIdOf = (sms: InboundSms): string => uuidV5(`sms:${messageKey(sms)}`, COMMAND_NAMESPACE);

/** Keyed, so a tracking id cannot be predicted from the provider's (often sequential) message ids. */
function trackingIdOf(key: Buffer, sms: InboundSms): TrackingId {
  const digest = createHmac('sha256', key)
    .update(`lapor.sms.tracking\n${messageKey(sms)}`)
    .digest();
  return generateTrackingId((size) => digest.subarray(0, size));
}

const holderName = (tree: OrganisationTree, complaint: Complaint): string =>
  tree.has(complaint.holder.id) ? tree.node(complaint.holder.id).name : complaint.holder.id;

/**
 * Does what the message asks, as the channel's integration actor (a submission) or as the reporter
 * (a reply, missing data), and says what to answer the sender. Only the sender's own complaints are
 * read or acted on: their number's keyed hash must be the complaint's reporter reference.
 */
export async function actOnSms(deps: ActDependencies, sms: InboundSms, correlationId: string): Promise<Acted> {
  const { context, config } = deps;
  const intent: SmsIntent = parseSms(sms.text, config.keywords);
  const reporterRef = reporterRefForPhone(config.reporterKey, sms.phone);
  const identity: ReporterIdentity = { name: SMS_REPORTER_NAME, phone: sms.phone };
  const answered = async (action: InboundAction, body: string, extra: { trackingId?: string; reason?: string } = {}): Promise<Acted> => {
    // the reply's own copy of the number, destroyed once it is sent
    const subjectId = `sms-message-${commandIdOf(sms)}`;
    const sealed = await context.vault.seal(subjectId, identity);
    return {
      answer: { messageId: sms.messageId, action, ...extra, repliesQueued: 1 },
      replies: [{ key: `reply:${messageKey(sms)}`, complaintId: null, subjectId, sealed, ephemeral: true, body }],
    };
  };

  switch (intent.kind) {
    case 'help':
      return answered('help', helpText(intent.reason, intent), { reason: intent.reason, ...(intent.trackingId ? { trackingId: intent.trackingId } : {}) });
    case 'submit':
      return submit(deps, sms, intent, reporterRef, identity, correlationId);
    case 'status': {
      const complaint = await ownComplaint(context, intent.trackingId, reporterRef);
      if (!complaint) return answered('refused', notYoursText(intent.trackingId), { trackingId: intent.trackingId, reason: 'not_found' });
      const text = statusText(intent.trackingId, complaint.status, holderName(context.directory.tree, complaint), complaint.archiveReason);
      return answered('status', text, { trackingId: intent.trackingId });
    }
    case 'respond': {
      const actor: Actor = { role: 'reporter', id: reporterRef, nodeId: null };
      const outcome = await respond(context, sms, { trackingId: intent.trackingId, message: intent.text, actor, correlationId });
      const extra = { trackingId: intent.trackingId };
      switch (outcome.result) {
        case 'not_found':
          return answered('refused', notYoursText(intent.trackingId), { ...extra, reason: 'not_found' });
        case 'closed':
          return answered('refused', closedText(intent.trackingId, outcome.status), { ...extra, reason: 'closed' });
        case 'no_follow_up':
          return answered('refused', noFollowUpYetText(intent.trackingId), { ...extra, reason: 'no_follow_up' });
        case 'refused':
          return answered('refused', refusedText(intent.trackingId), { ...extra, reason: outcome.code });
        case 'missing_data_supplied':
          return answered('missing_data_supplied', missingDataReceivedText(intent.trackingId), extra);
        case 'replied':
          return answered('replied', replyReceivedText(intent.trackingId, outcome.holder), extra);
        default: {
          const unhandled: never = outcome;
          return unhandled;
        }
      }
    }
    default: {
      const unhandled: never = intent;
      return unhandled;
    }
  }
}

async function ownComplaint(context: WorkflowContext, trackingId: TrackingId, reporterRef: string): Promise<Complaint | null> {
  const loaded = await context.repository.load(complaintIdForTrackingId(trackingId));
  return loaded.state.submitted && loaded.state.reporterRef === reporterRef ? loaded.state : null;
}

async function submit(
  deps: ActDependencies,
  sms: InboundSms,
  intent: Extract<SmsIntent, { kind: 'submit' }>,
  reporterRef: string,
  identity: ReporterIdentity,
  correlationId: string,
): Promise<Acted> {
  const { context, config } = deps;
  const tree = context.directory.tree;
  // No wrong door: a keyword pointing at a node this organisation does not have still reaches nasional.
  let addressedTo = 'nasional';
  let text = intent.text;
  if (intent.keyword) {
    if (tree.has(intent.keyword.instansiId)) addressedTo = intent.keyword.instansiId;
    else {
      deps.log?.warn(
        { keyword: intent.keyword.word, instansiId: intent.keyword.instansiId },
        'sms: regional keyword names no node of the organisation; sent to nasional (check LAPOR_SMS_KEYWORDS)',
      );
      text = cleanText(sms.text);
    }
  }
  const actor: Actor = { role: 'integration', id: `${SMS_ACTOR_PREFIX}${sms.provider}`, nodeId: null };
  // the same submission as every other door's: the provider is authenticated by its signature
  const outcome = await submitComplaint(
    context,
    SubmissionBody.parse({
      kind: 'pengaduan',
      channel: 'sms_1708',
      title: titleOf(text),
      description: text,
      addressedTo,
      reporter: identity,
      externalReference: `sms:${messageKey(sms)}`.slice(0, 300),
    }),
    { role: 'provider', actor, channels: ['sms_1708'], reporterRef, trackingId: trackingIdOf(config.reporterKey, sms) },
    { commandId: commandIdOf(sms), correlationId, idempotent: true },
  );
  // one message, one content: a conflict would mean two messages share a tracking id
  if (outcome.result === 'conflict') throw new Error(`sms: ${outcome.trackingId} holds another message's complaint`);
  const { complaintId, trackingId, reporter: sealed } = outcome;
  if (!sealed) throw new Error(`sms: complaint ${trackingId} holds no sealed number to answer`);
  const to = addressedTo === 'nasional' ? null : tree.node(addressedTo).name;
  return {
    answer: { messageId: sms.messageId, action: 'submitted', trackingId, repliesQueued: 1 },
    // the acknowledgement goes to the number sealed in the complaint itself
    replies: [{ key: `reply:${messageKey(sms)}`, complaintId, subjectId: complaintId, sealed, ephemeral: false, body: submittedText(trackingId, to) }],
  };
}

type Responded =
  | { result: 'not_found' }
  | { result: 'closed'; status: 'SELESAI' | 'ARSIP' }
  | { result: 'no_follow_up' }
  | { result: 'refused'; code: string }
  | { result: 'missing_data_supplied' }
  | { result: 'replied'; holder: string };

/** The reporter's words on their complaint: the missing data while it is in Tunda, else a reply to the follow-up. */
async function respond(
  context: WorkflowContext,
  sms: InboundSms,
  request: { trackingId: TrackingId; message: string; actor: Actor; correlationId: string },
): Promise<Responded> {
  const { trackingId, message, actor, correlationId } = request;
  const complaintId = complaintIdForTrackingId(trackingId);
  const commandId = commandIdOf(sms);
  for (let attempt = 0; ; attempt++) {
    // read as the repository does, keeping the metadata: which command wrote each event
    const recorded = await context.store.readStream(complaintStream(complaintId));
    const events = recorded.map((event) => ({ ...fromStoredEvent(event), recordedAt: event.recordedAt, position: event.position }));
    const state = events.reduce<ComplaintState>(complaintDecider.evolve, complaintDecider.initialState());
    const loaded: LoadedComplaint = { state, version: recorded.at(-1)?.streamVersion, events };
    if (!state.submitted || state.reporterRef !== actor.id) return { result: 'not_found' };
    // an earlier request for this very message appended and died before answering: that stands
    const mine = recorded.find((event) => event.metadata.commandId === commandId);
    if (mine)
      return mine.type === 'MissingDataSupplied'
        ? { result: 'missing_data_supplied' }
        : { result: 'replied', holder: holderName(context.directory.tree, state) };
    if (state.status === 'SELESAI' || state.status === 'ARSIP') return { result: 'closed', status: state.status };
    const command: ComplaintCommand =
      state.status === 'TUNDA' && state.openRequest
        ? { type: 'SupplyMissingData', data: { complaintId, message, attachments: [] }, metadata: { now: context.now(), actor } }
        : {
            type: 'ReplyToFollowUp',
            data: { complaintId, replyId: uuidV5(`reply:${commandId}`, COMMAND_NAMESPACE), message, attachments: [] },
            metadata: { now: context.now(), actor },
          };
    try {
      await context.repository.execute(command, { commandId, correlationId }, loaded);
      return command.type === 'SupplyMissingData'
        ? { result: 'missing_data_supplied' }
        : { result: 'replied', holder: holderName(context.directory.tree, state) };
    } catch (error) {
      if (error instanceof DomainError) return error.code === 'NO_FOLLOW_UP' ? { result: 'no_follow_up' } : { result: 'refused', code: error.code };
      if (error instanceof DuplicateEventIdError) {
        return command.type === 'SupplyMissingData'
          ? { result: 'missing_data_supplied' }
          : { result: 'replied', holder: holderName(context.directory.tree, state) };
      }
      // the complaint moved between reading and writing: decide again on what it is now
      if (error instanceof WrongExpectedVersionError && attempt < 3) continue;
      throw error;
    }
  }
}
