import { isTrackingId } from '../ids';
import type { SubmitComplaint } from './commands';
import { ensure } from './errors';
import type { ComplaintSubmitted } from './events';
import type { ComplaintState } from './state';
import { SUBMITTER_ROLES_BY_CHANNEL } from './values';

// ---------------------------------------------------------------------------
// Submission: any channel, any door (nasional or an instansi)
// ---------------------------------------------------------------------------

export function submit(command: SubmitComplaint, state: ComplaintState): ComplaintSubmitted[] {
  const { data, metadata } = command;
  const { actor } = metadata;

  ensure(!state.submitted, 'ALREADY_SUBMITTED');
  ensure(SUBMITTER_ROLES_BY_CHANNEL[data.channel].includes(actor.role), 'CHANNEL_NOT_ALLOWED', `(${actor.role} on ${data.channel})`);
  ensure(data.addressedTo.kind === 'nasional' || data.addressedTo.kind === 'instansi', 'INVALID_ADDRESSEE');
  // An admin instansi types in what reached its own office, and an agency's own system posts
  // to its own instansi. Nasional oversees every door, and the SMS gateway belongs to none.
  if (actor.role === 'admin_instansi' || (actor.role === 'integration' && actor.nodeId !== null)) {
    ensure(data.addressedTo.id === actor.nodeId, 'OUTSIDE_SCOPE');
  }
  ensure(isTrackingId(data.trackingId), 'INVALID_TRACKING_ID');
  ensure(data.kind !== 'wbs' || data.confidential, 'WBS_MUST_BE_CONFIDENTIAL');
  // A reporter acting themselves is recognised later by their own id and no one else's.
  if (actor.role === 'reporter') ensure(data.reporterRef === null || data.reporterRef === actor.id, 'NOT_REPORTER');

  return [
    {
      type: 'ComplaintSubmitted',
      schemaVersion: 2,
      data: {
        complaintId: data.complaintId,
        trackingId: data.trackingId,
        kind: data.kind,
        channel: data.channel,
        title: data.title,
        description: data.description,
        occurredOn: data.occurredOn,
        location: data.location,
        attachments: data.attachments,
        addressedTo: data.addressedTo,
        reporter: data.reporter,
        reporterRef: actor.role === 'reporter' ? actor.id : data.reporterRef,
        anonymous: data.anonymous,
        confidential: data.confidential,
        externalReference: data.externalReference,
        at: metadata.now,
        by: actor,
      },
    },
  ];
}
