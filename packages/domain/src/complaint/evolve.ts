import { isUnitKind, type NodeRef } from '../organisation/nodes';
import type { ComplaintEvent, ComplaintSubmitted } from './events';
import type { Complaint, ComplaintState } from './state';

// evolve applies facts; it never refuses one. Rules live in decide, which runs before an
// event exists. An event arriving for a complaint that was never submitted can only come
// from a corrupt stream; it is ignored here and the stream is for the operators to repair.

export function evolve(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  if (event.type === 'ComplaintSubmitted') return state.submitted ? state : submitted(event);
  if (!state.submitted) return state;
  return evolveComplaint(state, event);
}

function submitted({ data }: ComplaintSubmitted): Complaint {
  return {
    submitted: true,
    complaintId: data.complaintId,
    trackingId: data.trackingId,
    kind: data.kind,
    channel: data.channel,
    status: 'BELUM_TERVERIFIKASI',
    anonymous: data.anonymous,
    confidential: data.confidential,
    requestedProtection: { anonymous: data.anonymous, confidential: data.confidential },
    reporterRef: data.reporterRef,
    addressedTo: data.addressedTo,
    holder: data.addressedTo,
    instansiId: data.addressedTo.kind === 'instansi' ? data.addressedTo.id : null,
    assignedUnit: null,
    assignedAt: null,
    tembusan: [],
    hops: [],
    followUps: [],
    lastFollowUp: null,
    replyPending: false,
    openRequest: null,
    slaClass: null,
    category: null,
    rating: null,
    archiveReason: null,
    slaRecords: [],
    receivedAt: data.at,
    verifiedAt: null,
    verificationDecidedAt: null,
    verificationDecidedBy: null,
    firstFollowUpAt: null,
    completedAt: null,
    archivedAt: null,
  };
}

function evolveComplaint(complaint: Complaint, event: Exclude<ComplaintEvent, ComplaintSubmitted>): Complaint {
  const { data } = event;
  // The first of verified / Tunda / archived / answered is the verification decision (RV).
  const decided = {
    verificationDecidedAt: complaint.verificationDecidedAt ?? data.at,
    verificationDecidedBy: complaint.verificationDecidedBy ?? data.by.nodeId ?? complaint.holder.id,
  };

  switch (event.type) {
    case 'ComplaintVerified':
      return {
        ...complaint,
        slaClass: event.data.slaClass,
        category: event.data.category,
        anonymous: event.data.anonymous,
        confidential: event.data.confidential,
        verifiedAt: data.at,
        ...decided,
      };
    case 'MissingDataRequested':
      return {
        ...complaint,
        status: 'TUNDA',
        openRequest: { requestId: event.data.requestId, at: data.at },
        ...decided,
      };
    case 'MissingDataSupplied':
      return { ...complaint, status: 'BELUM_TERVERIFIKASI', openRequest: null };
    case 'ComplaintArchived':
      return {
        ...complaint,
        status: 'ARSIP',
        openRequest: null,
        archiveReason: event.data.reason,
        archivedAt: data.at,
        ...decided,
      };
    case 'AspirationAnswered':
      return {
        ...complaint,
        category: event.data.category ?? complaint.category,
        ...decided,
      };
    case 'ComplaintDisposed':
      return {
        ...moveTo(complaint, event.data.to, data.at),
        slaClass: event.data.slaClass,
        tembusan: [...complaint.tembusan, ...event.data.tembusan.filter((id) => !complaint.tembusan.includes(id))],
        hops: [...complaint.hops, { type: 'disposition', from: event.data.from.id, to: event.data.to.id, at: data.at, reason: event.data.note }],
      };
    case 'ComplaintReturned':
      return {
        ...moveTo(complaint, event.data.to, data.at),
        hops: [...complaint.hops, { type: 'return', from: event.data.from.id, to: event.data.to.id, at: data.at, reason: event.data.reason }],
      };
    case 'ComplaintHandedOver': {
      // the successor takes the complaint where it stood: same status, same clocks, same conversation
      const to = event.data.to;
      return {
        ...complaint,
        holder: to,
        assignedUnit: complaint.assignedUnit === null ? null : to,
        hops: [...complaint.hops, { type: 'succession', from: event.data.from.id, to: to.id, at: data.at, reason: event.data.reason }],
      };
    }
    case 'FollowUpPosted': {
      const entry = { followUpId: event.data.followUpId, unitId: event.data.unitId, at: data.at };
      return {
        ...complaint,
        status: 'PROSES',
        followUps: [...complaint.followUps, entry],
        lastFollowUp: entry,
        replyPending: false,
        firstFollowUpAt: complaint.firstFollowUpAt ?? data.at,
      };
    }
    case 'ReporterReplied':
      return { ...complaint, replyPending: true };
    case 'ComplaintCompleted':
      return { ...complaint, status: 'SELESAI', completedAt: data.at };
    case 'HandlingRated':
      return { ...complaint, rating: event.data.rating };
    case 'SlaReminderRecorded':
    case 'SlaBreachRecorded':
      return {
        ...complaint,
        slaRecords: [
          ...complaint.slaRecords,
          {
            record: event.type === 'SlaReminderRecorded' ? 'reminder' : 'breach',
            stage: event.data.stage,
            clockStartedAt: event.data.clockStartedAt,
          },
        ],
      };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** A new holder: a unit starts its own follow-up conversation; an admin holds it unassigned. */
function moveTo(complaint: Complaint, to: NodeRef, at: string): Complaint {
  const withUnit = isUnitKind(to.kind);
  return {
    ...complaint,
    holder: to,
    instansiId: to.kind === 'instansi' ? to.id : to.kind === 'nasional' ? null : complaint.instansiId,
    assignedUnit: withUnit ? to : null,
    assignedAt: withUnit ? at : null,
    status: withUnit ? 'BELUM_DITINDAKLANJUTI' : 'BELUM_TERVERIFIKASI',
    lastFollowUp: null,
    replyPending: false,
    firstFollowUpAt: null,
  };
}
