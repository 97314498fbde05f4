import type { ArchiveReason, Channel, ComplaintKind } from './values';

// What citizens and officials read, in Bahasa Indonesia (exports, notifications, the app).
// Status labels live beside the statuses in state.ts.

export const KIND_LABELS: Readonly<Record<ComplaintKind, string>> = {
  pengaduan: 'Pengaduan',
  aspirasi: 'Aspirasi',
  permintaan_informasi: 'Permintaan Informasi',
  wbs: 'Whistle Blowing System (WBS)',
};

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  web: 'Situs web',
  mobile_app: 'Aplikasi seluler',
  sms_1708: 'SMS 1708',
  social_media: 'Media sosial',
  email: 'Surel',
  letter: 'Surat',
  face_to_face: 'Tatap muka',
  call_centre: 'Call center',
  integration: 'Sistem instansi terintegrasi',
};

export const ARCHIVE_REASON_LABELS: Readonly<Record<ArchiveReason, string>> = {
  SPAM: 'Spam',
  DUPLICATE: 'Duplikat',
  NOT_PUBLIC_SERVICE: 'Bukan pelayanan publik',
  INCOMPLETE: 'Data tidak lengkap',
  MISSING_DATA_TIMEOUT: 'Kelengkapan data tidak diberikan dalam 10 hari kerja',
  OTHER: 'Lainnya',
};
