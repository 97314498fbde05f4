import {
  complaintDecider,
  generateTrackingId,
  type Actor,
  type AttachmentRef,
  type Channel,
  type ComplaintStatus,
  type SubmitComplaint,
  type TrackingId,
} from '@lapor/domain';
import { DuplicateEventIdError, WrongExpectedVersionError } from '@lapor/event-store';
import { commandMetadata, forbidden, HttpProblem, reporterRefForSecret, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import { type ApiKey } from '@lapor/accounts';
import { SealError, type ReporterIdentity, type SealedIdentity } from '@lapor/personal-data';
import { complaintIdForTrackingId, type LoadedComplaint } from '@lapor/workflow';
import { randomBytes } from 'node:crypto';
import { contentOfSubmission, differingFields, integrationScope, type SubmittedContent } from './external-reference';
import { isPubliclyVisible } from './public';
import { TRACKING_ID_KEY_PURPOSE, trackingIdForCommand, trackingIdForExternalReference } from './tracking-ids';
import type { SubmissionBody } from './body';

const PUBLIC_CHANNELS = new Set(['web', 'mobile_app']);

/** Who submits, as the edge authenticated them. */
export type Submitter =
  | { readonly role: 'citizen' }
  | { readonly role: 'staff'; readonly actor: StaffActor }
  | { readonly role: 'system'; readonly actor: Actor; readonly key: ApiKey }
  /**
   * A channel's provider, authenticated by the edge in its own way (the SMS 1708 webhook's
   * signature), submitting on its channels only, for a reporter it knows by a keyed reference
   * (their number's). The tracking id is the door's own, derived from the provider's message with a
   * secret key so it cannot be guessed from message ids; a second arrival of that message meets the
   * complaint the first one made.
   */
  | {
      readonly role: 'provider';
      readonly actor: Actor;
      readonly channels: readonly Channel[];
      readonly reporterRef: string;
      readonly trackingId: TrackingId;
    };

export interface SubmissionContext {
  /** The command id: the Idempotency-Key's when the client sent one. */
  readonly commandId: string;
  readonly correlationId: string;
  /** Under an Idempotency-Key the tracking id follows from the command id (see below). */
  readonly idempotent: boolean;
  /** Stores the files that came with the submission, once its complaint id is known; their ids go on the command. */
  readonly attach?: (complaintId: string, anonymous: boolean) => Promise<readonly AttachmentRef[]>;
}

export type SubmissionOutcome =
  | {
      readonly result: 'created';
      readonly complaintId: string;
      readonly trackingId: TrackingId;
      readonly status: ComplaintStatus;
      readonly version: bigint;
      /** Whether the public tracking page shows it (not confidential; WBS never is). */
      readonly publiclyVisible: boolean;
      /** For a citizen only: shown once. */
      readonly reporterSecret?: string;
      /** The identity as the complaint holds it, sealed: what a door that answers the reporter (SMS) replies to. */
      readonly reporter: SealedIdentity | null;
    }
  | {
      /** A system sent this external reference before, with the same content: that complaint, as it is now. */
      readonly result: 'existing';
      readonly complaintId: string;
      readonly trackingId: TrackingId;
      readonly status: ComplaintStatus;
      readonly version: bigint;
      readonly publiclyVisible: boolean;
      readonly reporter: SealedIdentity | null;
    }
  | {
      /** A system sent this external reference before with other content; `fields` name where it differs. */
      readonly result: 'conflict';
      readonly trackingId: TrackingId;
      readonly fields: readonly string[];
    };

/**
 * A submission on any channel, by anyone allowed on it: the checks of who may use which channel
 * and door, the reporter's identity sealed before anything is stored, and the command run. Shared
 * by every door (web, staff entry, agency REST, Open311, SMS 1708), so every door applies the same rules.
 * Refusals are HttpProblem or DomainError; the caller answers them in its own format.
 */
export async function submitComplaint(
  context: WorkflowContext,
  body: SubmissionBody,
  submitter: Submitter,
  request: SubmissionContext,
): Promise<SubmissionOutcome> {
  if (submitter.role === 'system' && !submitter.key.channels.includes(body.channel)) {
    throw forbidden(`This API key may submit on ${submitter.key.channels.join(', ')}, not ${body.channel}.`);
  }
  if (submitter.role === 'provider' && !submitter.channels.includes(body.channel)) {
    throw forbidden(`This provider may submit on ${submitter.channels.join(', ')}, not ${body.channel}.`);
  }
  if (submitter.role === 'citizen' && !PUBLIC_CHANNELS.has(body.channel)) {
    throw new HttpProblem(401, 'unauthorized', 'Unauthorized', `The ${body.channel} channel is for staff and integrating systems; sign in or send an API key.`);
  }
  const tree = context.directory.tree;
  const addressedTo = body.addressedTo ?? (submitter.role === 'system' ? submitter.key.instansiId : null) ?? 'nasional';
  if (!tree.has(addressedTo)) {
    throw new HttpProblem(422, 'unknown-addressee', 'Unknown addressee', `body.addressedTo: no node ${addressedTo}`);
  }
  const secret = submitter.role === 'citizen' ? randomBytes(24).toString('base64url') : undefined;
  const actor: Actor = submitter.role === 'citizen' ? { role: 'reporter', id: reporterRefForSecret(secret!), nodeId: null } : submitter.actor;
  const scope = submitter.role === 'system' && body.externalReference ? integrationScope(actor) : null;

  // An agency's external reference names its complaint for good (see external-reference.ts).
  // Under an Idempotency-Key the tracking id follows from the key, so a retry that runs again
  // after a crash meets the complaint it already made instead of making a second one. Both keyed
  // with the server's secret (tracking-ids.ts): neither can be computed from outside.
  const idKey = () => context.vault.derivedKey(TRACKING_ID_KEY_PURPOSE);
  const trackingId =
    submitter.role === 'provider'
      ? submitter.trackingId
      : scope
        ? trackingIdForExternalReference(idKey(), scope, body.externalReference!)
        : request.idempotent
          ? trackingIdForCommand(idKey(), request.commandId)
          : generateTrackingId((size) => randomBytes(size));
  const complaintId = complaintIdForTrackingId(trackingId);
  const content: SubmittedContent = {
    kind: body.kind,
    channel: body.channel,
    title: body.title,
    description: body.description,
    occurredOn: body.occurredOn ?? null,
    location: body.location ?? null,
    addressedTo,
    anonymous: body.anonymous,
    confidential: body.confidential || body.kind === 'wbs',
    externalReference: body.externalReference ?? null,
  };
  const command = (reporter: SubmitComplaint['data']['reporter'], attachments: readonly AttachmentRef[] = []): SubmitComplaint => ({
    type: 'SubmitComplaint',
    data: {
      complaintId,
      trackingId,
      ...content,
      attachments: [...attachments],
      addressedTo: tree.nodeRef(addressedTo),
      reporter,
      reporterRef: submitter.role === 'citizen' ? actor.id : submitter.role === 'provider' ? submitter.reporterRef : null,
    },
    metadata: commandMetadata(context, actor),
  });
  const resubmitted = () => compareWithRecorded(context, complaintId, trackingId, content, body.reporter ?? null);
  // The tracking id follows from what the sender sent: a second arrival answers as a resubmission.
  const repeatable = scope !== null || submitter.role === 'provider';
  if (repeatable) {
    // The rules first (may this system send this, here?): a refusal is never hidden behind
    // "already submitted". The identity plays no part in them, so none is sealed for the check.
    complaintDecider.decide(command(null), complaintDecider.initialState());
    // Looked up before sealing: a resubmission seals nothing, and an erased identity stays erased.
    // With nothing to seal or store, the append (no_stream) is what asks whether the complaint
    // exists, and the lookup below runs for a resubmission only: one read fewer for the rest.
    if (body.reporter || request.attach) {
      const answer = await resubmitted();
      if (answer) return answer;
    }
  }

  try {
    const reporter = body.reporter ? await context.vault.seal(complaintId, body.reporter) : null;
    const attachments = request.attach ? await request.attach(complaintId, content.anonymous) : [];
    const outcome = await context.repository.execute(command(reporter, attachments), { commandId: request.commandId, correlationId: request.correlationId });
    return {
      result: 'created',
      complaintId,
      trackingId,
      status: 'BELUM_TERVERIFIKASI',
      version: outcome.version,
      publiclyVisible: !content.confidential,
      ...(secret ? { reporterSecret: secret } : {}),
      reporter,
    };
  } catch (error) {
    // The same reference sent twice at once: the other request made it; answer as a resubmission.
    if (repeatable && (error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError)) {
      const answer = await resubmitted();
      if (answer) return answer;
    }
    throw error;
  }
}

/** The answer to a resubmission of a complaint already recorded, or undefined when there is none. */
async function compareWithRecorded(
  context: WorkflowContext,
  complaintId: string,
  trackingId: TrackingId,
  incoming: SubmittedContent,
  incomingIdentity: ReporterIdentity | null,
): Promise<SubmissionOutcome | undefined> {
  const loaded: LoadedComplaint = await context.repository.load(complaintId);
  if (!loaded.state.submitted || loaded.version === undefined) return undefined;
  const submitted = loaded.events.find((event) => event.type === 'ComplaintSubmitted');
  if (submitted?.type !== 'ComplaintSubmitted') return undefined;
  const recordedIdentity = submitted.data.reporter ? await openOrErased(context, complaintId, submitted.data.reporter) : null;
  const fields = differingFields(contentOfSubmission(submitted.data), incoming, { recorded: recordedIdentity, incoming: incomingIdentity });
  if (fields.length > 0) return { result: 'conflict', trackingId, fields };
  return {
    result: 'existing',
    complaintId,
    trackingId,
    status: loaded.state.status,
    version: loaded.version,
    publiclyVisible: isPubliclyVisible(loaded.state),
    reporter: submitted.data.reporter,
  };
}

async function openOrErased(context: WorkflowContext, complaintId: string, sealed: { sealed: string; keyId: string }): Promise<ReporterIdentity | 'erased'> {
  try {
    return (await context.vault.open(complaintId, sealed)) ?? 'erased';
  } catch (error) {
    // a value sealed under a master key no longer configured cannot be compared either
    if (error instanceof SealError) return 'erased';
    throw error;
  }
}
