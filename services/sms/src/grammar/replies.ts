import { ARCHIVE_REASON_LABELS, STATUS_LABELS, type ArchiveReason, type ComplaintStatus } from '@lapor/domain';
import type { HelpReason } from './parse';

// ---------------------------------------------------------------------------
// What the reporter reads on their handset, in Bahasa Indonesia. Plain GSM-7 characters only
// (no curly quotes, no dashes, no ellipsis character), so a reply stays one SMS where it can.
// ---------------------------------------------------------------------------

/** The short number citizens text. */
export const SHORT_CODE = '1708';
const SIGN = ' -LAPOR!';

export const FORMAT =
  `Format SMS ${SHORT_CODE}: isi laporan; atau KATA KUNCI DAERAH lalu isi laporan (mis. NTT jalan rusak di ...); ` +
  'STATUS <nomor laporan>; <nomor laporan> <tanggapan>.';

export function helpText(reason: HelpReason, detail: { trackingId?: string; attempted?: string; keyword?: string } = {}): string {
  switch (reason) {
    case 'empty':
      return `Pesan Anda kosong. ${FORMAT}${SIGN}`;
    case 'asked':
      return `${FORMAT}${SIGN}`;
    case 'status_without_id':
      return `Tulis nomor laporan setelah STATUS, mis. STATUS LAP-7KQ2M9XH4D, lalu kirim ke ${SHORT_CODE}.${SIGN}`;
    case 'invalid_tracking_id':
      return `Nomor laporan ${detail.attempted ?? ''} tidak dikenali. Nomor laporan diawali LAP- lalu 10 huruf/angka, mis. LAP-7KQ2M9XH4D.${SIGN}`;
    case 'respond_without_text':
      return `Tulis tanggapan Anda setelah nomor laporan, mis. ${detail.trackingId ?? 'LAP-7KQ2M9XH4D'} jalan belum diperbaiki.${SIGN}`;
    case 'keyword_without_text':
      return `Tulis isi laporan setelah kata kunci ${detail.keyword ?? ''}: masalahnya, lokasi dan waktu kejadian.${SIGN}`;
    case 'too_short':
      return `Laporan Anda terlalu singkat. Jelaskan masalahnya, lokasi dan waktu kejadian, lalu kirim lagi ke ${SHORT_CODE}.${SIGN}`;
    default: {
      const unhandled: never = reason;
      return unhandled;
    }
  }
}

export const submittedText = (trackingId: string, to: string | null): string =>
  `Laporan Anda diterima${to ? ` dan ditujukan ke ${to}` : ''}. Nomor laporan: ${trackingId}. ` +
  `Cek status: kirim STATUS ${trackingId} ke ${SHORT_CODE}.${SIGN}`;

/** Where a complaint stands, as the reporter is told when they ask. */
export function statusText(trackingId: string, status: ComplaintStatus, holderName: string, archiveReason: ArchiveReason | null): string {
  const label = STATUS_LABELS[status];
  const what = ((): string => {
    switch (status) {
      case 'BELUM_TERVERIFIKASI':
        return `sedang ditelaah oleh ${holderName}.`;
      case 'BELUM_DITINDAKLANJUTI':
        return `sudah diteruskan ke ${holderName} dan menunggu tindak lanjut.`;
      case 'PROSES':
        return `sudah ditindaklanjuti oleh ${holderName}. Tanggapi: ${trackingId} <pesan>.`;
      case 'SELESAI':
        return 'laporan selesai. Terima kasih telah melapor.';
      case 'TUNDA':
        return `admin meminta data tambahan. Kirim ${trackingId} <data tambahan> ke ${SHORT_CODE} dalam 10 hari kerja.`;
      case 'ARSIP':
        return `laporan diarsipkan${archiveReason ? ` (${ARCHIVE_REASON_LABELS[archiveReason]})` : ''}.`;
      default: {
        const unhandled: never = status;
        return unhandled;
      }
    }
  })();
  return `Status laporan ${trackingId}: ${label}, ${what}${SIGN}`;
}

export const notYoursText = (trackingId: string): string =>
  `Laporan ${trackingId} tidak ditemukan untuk nomor HP ini. Kirim dari nomor yang Anda pakai saat melapor, atau cek di lapor.go.id.${SIGN}`;

export const replyReceivedText = (trackingId: string, holderName: string): string =>
  `Tanggapan Anda untuk laporan ${trackingId} sudah diterima dan diteruskan ke ${holderName}.${SIGN}`;

export const missingDataReceivedText = (trackingId: string): string =>
  `Data tambahan untuk laporan ${trackingId} sudah diterima. Laporan Anda diproses kembali.${SIGN}`;

export const closedText = (trackingId: string, status: 'SELESAI' | 'ARSIP'): string =>
  `Laporan ${trackingId} sudah berstatus ${STATUS_LABELS[status]}, tanggapan tidak dapat ditambahkan. Kirim laporan baru bila masalahnya berlanjut.${SIGN}`;

export const noFollowUpYetText = (trackingId: string): string =>
  `Laporan ${trackingId} belum ditindaklanjuti, jadi belum dapat ditanggapi. Kami kabari lewat SMS bila ada tindak lanjut. Cek: STATUS ${trackingId}.${SIGN}`;

export const refusedText = (trackingId: string): string =>
  `Tanggapan untuk laporan ${trackingId} tidak dapat diterima saat ini. Cek keadaan laporan: STATUS ${trackingId}.${SIGN}`;

// ---------------------------------------------------------------------------
// Notices: the complaint moved
// ---------------------------------------------------------------------------

/** Staff wrote it: it ends in a full stop before our words follow. */
const sentence = (text: string): string => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

export const noticeTexts = {
  missingDataRequested: (trackingId: string, message: string) =>
    `Laporan ${trackingId} ditunda: ${sentence(message)} Kirim ${trackingId} <data tambahan> ke ${SHORT_CODE} dalam 10 hari kerja.${SIGN}`,
  disposedTo: (trackingId: string, name: string, toUnit: boolean) =>
    `Laporan ${trackingId} diteruskan ke ${name}${toUnit ? ' untuk ditindaklanjuti' : ''}.${SIGN}`,
  followUp: (trackingId: string, unitName: string, message: string) =>
    `Tindak lanjut laporan ${trackingId} dari ${unitName}: ${sentence(message)} Tanggapi: ${trackingId} <pesan>.${SIGN}`,
  aspirationAnswered: (trackingId: string, answer: string) => `Aspirasi ${trackingId} dijawab: ${sentence(answer)}${SIGN}`,
  completed: (trackingId: string) => `Laporan ${trackingId} selesai. Terima kasih telah melapor.${SIGN}`,
  archived: (trackingId: string, reason: ArchiveReason) => `Laporan ${trackingId} diarsipkan: ${ARCHIVE_REASON_LABELS[reason]}.${SIGN}`,
  statusChanged: (trackingId: string, status: ComplaintStatus) =>
    `Status laporan ${trackingId} kini: ${STATUS_LABELS[status]}. Cek: STATUS ${trackingId}.${SIGN}`,
} as const;
