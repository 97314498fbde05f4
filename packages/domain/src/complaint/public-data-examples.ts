import type { ComplaintEventType } from './events';
import type { PublicActor } from './public-data';

// Examples for the API document, one per event type: the same complaint followed through its life in
// the NTT demo instansi, so the history, the `<Type>Data` schemas and the webhook bodies tell one story.
// Every name and id is made up; none is a real person's.

const COMPLAINT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const FOLLOW_UP_ID = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
const REQUEST_ID = '8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const PUPR = { id: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', kind: 'unit', parentId: 'pemprov-ntt' } as const;
const PEMPROV = { id: 'pemprov-ntt', kind: 'instansi', parentId: null } as const;
const PHOTO = {
  id: 'lampiran-7f3e9a',
  name: 'jalan-berlubang-oebufu.jpg',
  mediaType: 'image/jpeg',
  size: 482113,
  sha256: '9b1c4e2f7a3d5b8c0e6f1a2d3c4b5a6978e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4',
};

/** The example complaint's ids, for examples that refer to it. */
export const EXAMPLE_COMPLAINT = { complaintId: COMPLAINT_ID, trackingId: 'LAP-7KQ2M9XH4D', followUpId: FOLLOW_UP_ID } as const;

/** Per event type: what its shareable data looks like (the `<Type>Data` example). */
export const PUBLIC_EVENT_DATA_EXAMPLES: Readonly<Record<ComplaintEventType, Record<string, unknown>>> = {
  ComplaintSubmitted: {
    complaintId: COMPLAINT_ID,
    trackingId: 'LAP-7KQ2M9XH4D',
    kind: 'pengaduan',
    channel: 'web',
    title: 'Jalan berlubang di depan SD Inpres Oebufu',
    description: 'Lubang besar di badan jalan depan SD Inpres Oebufu sudah dua bulan tidak diperbaiki. Saat hujan tergenang dan membahayakan anak sekolah.',
    occurredOn: '2026-11-16',
    location: 'Jl. Frans Seda, Kelurahan Oebufu, Kota Kupang',
    attachments: [PHOTO],
    addressedTo: PEMPROV,
    anonymous: false,
    confidential: false,
    externalReference: null,
  },
  ComplaintVerified: {
    slaClass: 'pengawasan_lapangan',
    category: 'Jalan rusak',
    anonymous: false,
    confidential: false,
    note: 'Laporan lengkap; diteruskan ke Dinas PUPR.',
  },
  MissingDataRequested: { requestId: REQUEST_ID, message: 'Mohon sebutkan titik lokasi lubang (patokan terdekat) dan lampirkan foto terbaru.' },
  MissingDataSupplied: {
    requestId: REQUEST_ID,
    message: 'Lubang tepat di depan gerbang SD Inpres Oebufu, sekitar 50 meter dari pertigaan. Foto terlampir.',
    attachments: [PHOTO],
    enteredVia: null,
  },
  ComplaintArchived: { reason: 'DUPLICATE', note: 'Sama dengan laporan LAP-3HZ8W2QK5M yang sedang ditangani.', missingDataRequestId: null },
  AspirationAnswered: {
    answer: 'Terima kasih atas usulannya. Penambahan lampu jalan di ruas Oebufu masuk rencana kerja Dinas PUPR tahun 2027.',
    category: 'Penerangan jalan',
  },
  ComplaintDisposed: {
    from: PEMPROV,
    to: PUPR,
    tembusan: ['ntt-inspektorat-daerah'],
    slaClass: 'pengawasan_lapangan',
    note: 'Mohon segera ditinjau ke lapangan.',
  },
  ComplaintReturned: { from: PUPR, to: PEMPROV, reason: 'Bukan Wewenang: ruas jalan tersebut jalan kota, kewenangan Pemerintah Kota Kupang.' },
  ComplaintHandedOver: {
    from: { id: 'ntt-bidang-bina-marga', kind: 'subunit', parentId: PUPR.id },
    to: PUPR,
    reason: 'MERGE',
  },
  FollowUpPosted: {
    followUpId: FOLLOW_UP_ID,
    unitId: PUPR.id,
    message: 'Tim Bidang Bina Marga sudah meninjau lokasi; penambalan dijadwalkan minggu depan.',
    attachments: [],
  },
  ReporterReplied: {
    replyId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
    followUpId: FOLLOW_UP_ID,
    message: 'Terima kasih. Mohon dikabari bila penambalan sudah selesai.',
    attachments: [],
    enteredVia: null,
  },
  ComplaintCompleted: { completion: 'AUTO_CLOSE', lastFollowUpId: FOLLOW_UP_ID },
  HandlingRated: { rating: 4, comment: 'Jalan sudah ditambal, tetapi agak lama.', enteredVia: null },
  SlaReminderRecorded: {
    stage: 'first_follow_up',
    clockStartedAt: '2026-11-18T02:00:00.000Z',
    dueAt: '2026-11-25T09:00:00.000Z',
    nodeId: PUPR.id,
  },
  SlaBreachRecorded: {
    stage: 'first_follow_up',
    clockStartedAt: '2026-11-18T02:00:00.000Z',
    dueAt: '2026-11-25T09:00:00.000Z',
    nodeId: PUPR.id,
    workingDaysLate: 2,
  },
};

/** Per event type: who typically records it and when, for the history and webhook examples. */
export const PUBLIC_EVENT_ACTOR_EXAMPLES: Readonly<Record<ComplaintEventType, { at: string; by: PublicActor }>> = Object.fromEntries(
  (Object.keys(PUBLIC_EVENT_DATA_EXAMPLES) as ComplaintEventType[]).map((type) => [type, { at: '2026-11-26T03:30:00.000Z', by: actorOf(type) }]),
) as Record<ComplaintEventType, { at: string; by: PublicActor }>;

function actorOf(type: ComplaintEventType): PublicActor {
  if (['ComplaintSubmitted', 'MissingDataSupplied', 'ReporterReplied', 'HandlingRated'].includes(type)) return { role: 'reporter', id: null, nodeId: null };
  if (['ComplaintCompleted', 'SlaReminderRecorded', 'SlaBreachRecorded', 'ComplaintHandedOver'].includes(type))
    return { role: 'system', id: null, nodeId: null };
  if (['FollowUpPosted', 'ComplaintReturned'].includes(type)) return { role: 'liaison', id: 'penghubung.pupr', nodeId: PUPR.id };
  return { role: 'admin_instansi', id: 'admin.ntt', nodeId: PEMPROV.id };
}
