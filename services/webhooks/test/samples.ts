import type { Actor, ComplaintEvent, NodeRef } from '@lapor/domain';

// One event of every complaint type, each carrying whatever a reporter could have put in it: the
// sealed identity and account reference on the submission, the reporter as the actor on their own
// actions. What a receiver gets of them is checked against these.

export const SEALED = 'c2VhbGVkLWlkZW50aXR5LWJ5dGVzLW5pay0zMjAxMDEwMTAxMDEwMDAx';
export const KEY_ID = 'dk-2f1c9a7e-identity-key';
export const REPORTER_REF = 'rpt-9d3e6b0a1c2f4e5d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f';

const at = '2025-03-03T01:00:00.000Z';
const ntt: NodeRef = { id: 'pemprov-ntt', kind: 'instansi', parentId: 'nasional' };
const pupr: NodeRef = { id: 'ntt-pupr', kind: 'unit', parentId: 'pemprov-ntt' };
const nasional: NodeRef = { id: 'nasional', kind: 'nasional', parentId: null };
export const COMPLAINT_ID = '5b0e8d3c-2a41-4f6e-9c7d-1e2f3a4b5c6d';

const reporter = (ref: string): Actor => ({ role: 'reporter', id: ref, nodeId: null });
const admin: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'pemprov-ntt' };
const liaison: Actor = { role: 'liaison', id: 'pp-pupr', nodeId: 'ntt-pupr' };
const system: Actor = { role: 'system', id: 'scheduler', nodeId: null };

export function sampleEvents(identity = { sealed: SEALED, keyId: KEY_ID, reporterRef: REPORTER_REF }): ComplaintEvent[] {
  const by = reporter(identity.reporterRef);
  const sla = { stage: 'verification' as const, clockStartedAt: at, dueAt: at, nodeId: 'pemprov-ntt' };
  return [
    {
      type: 'ComplaintSubmitted',
      schemaVersion: 2,
      data: {
        complaintId: COMPLAINT_ID,
        trackingId: 'LAP-7KQ2M9XH4D',
        kind: 'pengaduan',
        channel: 'web',
        title: 'Jalan rusak',
        description: 'Berlubang sejak Maret',
        occurredOn: null,
        location: 'Kupang',
        attachments: [],
        addressedTo: ntt,
        reporter: { sealed: identity.sealed, keyId: identity.keyId },
        reporterRef: identity.reporterRef,
        anonymous: false,
        confidential: false,
        externalReference: 'SIMPEL-2025-0042',
        at,
        by,
      },
    },
    {
      type: 'ComplaintVerified',
      schemaVersion: 1,
      data: { slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null, at, by: admin },
    },
    { type: 'MissingDataRequested', schemaVersion: 1, data: { requestId: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f', message: 'Lengkapi foto', at, by: admin } },
    {
      type: 'MissingDataSupplied',
      schemaVersion: 2,
      data: {
        requestId: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f',
        message: 'Ini fotonya',
        attachments: [{ id: '3c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f', name: 'foto.jpg', mediaType: 'image/jpeg', size: 120_431, sha256: 'e3'.repeat(32) }],
        enteredVia: null,
        at,
        by,
      },
    },
    { type: 'ComplaintArchived', schemaVersion: 1, data: { reason: 'DUPLICATE', note: null, missingDataRequestId: null, at, by: admin } },
    { type: 'AspirationAnswered', schemaVersion: 1, data: { answer: 'Terima kasih', category: null, at, by: admin } },
    { type: 'ComplaintDisposed', schemaVersion: 1, data: { from: ntt, to: pupr, tembusan: [], slaClass: 'tanpa_pengawasan', note: null, at, by: admin } },
    { type: 'ComplaintReturned', schemaVersion: 1, data: { from: ntt, to: nasional, reason: 'Bukan wewenang', at, by: admin } },
    {
      type: 'ComplaintHandedOver',
      schemaVersion: 1,
      data: { from: pupr, to: { id: 'ntt-pupr-baru', kind: 'unit', parentId: 'pemprov-ntt' }, reason: 'MERGE', at, by: admin },
    },
    {
      type: 'FollowUpPosted',
      schemaVersion: 2,
      data: { followUpId: '1c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f', unitId: 'ntt-pupr', message: 'Sudah ditambal', attachments: [], at, by: liaison },
    },
    {
      type: 'ReporterReplied',
      schemaVersion: 2,
      data: {
        replyId: '2c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f',
        followUpId: '1c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f',
        message: 'Belum rapi',
        attachments: [],
        enteredVia: null,
        at,
        by,
      },
    },
    {
      type: 'ComplaintCompleted',
      schemaVersion: 1,
      data: { completion: 'AUTO_CLOSE', lastFollowUpId: '1c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f', at, by: system },
    },
    { type: 'HandlingRated', schemaVersion: 2, data: { rating: 4, comment: 'Cepat', enteredVia: null, at, by } },
    { type: 'SlaReminderRecorded', schemaVersion: 1, data: { ...sla, at, by: system } },
    { type: 'SlaBreachRecorded', schemaVersion: 1, data: { ...sla, workingDaysLate: 2, at, by: system } },
  ];
}
