import type { ComplaintEvent, ComplaintState } from '@lapor/domain';

// What the public may learn about a complaint, in one place for every public door (the tracking
// page, the Open311 facade): never who, never what was written after submission.

/** The public label of each event; events without one (SLA records) are not shown. */
export const PUBLIC_EVENT_LABELS: Partial<Record<ComplaintEvent['type'], string>> = {
  ComplaintSubmitted: 'Laporan diterima',
  ComplaintVerified: 'Laporan diverifikasi',
  MissingDataRequested: 'Menunggu kelengkapan data dari pelapor',
  MissingDataSupplied: 'Data tambahan diterima',
  ComplaintArchived: 'Laporan diarsipkan',
  AspirationAnswered: 'Aspirasi dijawab',
  ComplaintDisposed: 'Didisposisikan ke instansi/unit terkait',
  ComplaintReturned: 'Dikembalikan: bukan wewenang',
  ComplaintHandedOver: 'Dialihkan ke unit pengganti (restrukturisasi organisasi)',
  FollowUpPosted: 'Tindak lanjut',
  ReporterReplied: 'Tanggapan pelapor',
  ComplaintCompleted: 'Selesai',
  HandlingRated: 'Penilaian pelapor',
};

/** A complaint the public may see at all: submitted, and not confidential (WBS always is). */
export const isPubliclyVisible = (state: ComplaintState): state is Extract<ComplaintState, { submitted: true }> => state.submitted && !state.confidential;

/** The public history: when, and a label; nothing of what anyone wrote. */
export const publicHistory = (events: readonly ComplaintEvent[]): Array<{ at: string; event: string }> =>
  events.flatMap((event) => {
    const label = PUBLIC_EVENT_LABELS[event.type];
    return label ? [{ at: event.data.at, event: label }] : [];
  });
