import type { FastifyReply, FastifyRequest } from 'fastify';

// Problems people read: on the routes a citizen calls (submission, tracking, the reporter's own
// commands) `title` and `detail` are in Bahasa Indonesia when Accept-Language ranks Indonesian
// first (as a browser or phone set to Indonesian sends it); English otherwise, so the agency systems
// and staff tools that share these routes keep reading what they always read. `type`, `code`,
// `status` and `errors[].field` never change with the language: clients key on them.

/** Route config of a citizen-facing route: its problems speak Bahasa Indonesia by default. */
export const CITIZEN_FACING = { citizenFacing: true } as const;

type Language = 'id' | 'en';

/** The language of a citizen-facing route's problems: Indonesian when Accept-Language ranks it first, else English. */
export function problemLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
      const q = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
      return { primary: tag.split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && (entry.primary === 'id' || entry.primary === 'en'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.primary === 'id' ? 'id' : 'en';
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Permintaan tidak valid',
  401: 'Tidak dikenali',
  403: 'Tidak diizinkan',
  404: 'Tidak ditemukan',
  409: 'Bentrok dengan keadaan saat ini',
  410: 'Sudah dihapus',
  412: 'Prasyarat tidak terpenuhi',
  413: 'Berkas terlalu besar',
  415: 'Jenis berkas tidak didukung',
  422: 'Tidak dapat diproses',
  429: 'Terlalu banyak permintaan',
  500: 'Kesalahan pada server',
  503: 'Layanan sedang tidak tersedia',
};

/** By problem `code` (domain rules) or `type` slug: what a reporter is told. */
const DETAILS: Readonly<Record<string, string>> = {
  validation: 'Isian permintaan tidak sesuai; lihat daftar errors untuk setiap kolom yang salah.',
  'not-found': 'Laporan dengan nomor pelacakan ini tidak ditemukan.',
  'rate-limited': 'Terlalu banyak permintaan dari alamat ini dalam satu menit. Coba lagi setelah Retry-After detik.',
  'version-conflict': 'Laporan sudah berubah sejak Anda membacanya. Muat ulang, lalu coba lagi.',
  'idempotency-key-reused': 'Idempotency-Key ini sudah dipakai untuk permintaan lain.',
  'request-in-progress': 'Permintaan yang sama masih diproses. Coba lagi sebentar lagi.',
  'invalid-idempotency-key': 'Idempotency-Key tidak valid: gunakan UUID acak atau 22 karakter base64url atau lebih.',
  'invalid-if-match': 'If-Match tidak valid: kirim ETag terakhir yang Anda baca, misalnya "3".',
  'invalid-json': 'Isi permintaan bukan JSON yang valid.',
  unauthorized: 'Kode rahasia pelapor (x-reporter-secret) tidak ada atau tidak cocok.',
  erased: 'Berkas ini sudah dihapus bersama data pribadi pelapor.',
  overloaded: 'Server sedang sibuk. Coba lagi sebentar lagi.',
  'service-unavailable': 'Layanan sedang tidak tersedia; tidak ada yang tersimpan. Coba lagi sebentar lagi.',
  COMPLAINT_NOT_FOUND: 'Laporan tidak ditemukan.',
  COMPLAINT_CLOSED: 'Laporan sudah diarsipkan atau selesai, dan tidak dapat diubah lagi.',
  ALREADY_SUBMITTED: 'Laporan ini sudah pernah dikirim.',
  CHANNEL_NOT_ALLOWED: 'Laporan tidak dapat dikirim melalui kanal ini.',
  INVALID_ADDRESSEE: 'Laporan ditujukan kepada nasional atau kepada sebuah instansi.',
  INVALID_TRACKING_ID: 'Nomor pelacakan tidak valid: LAP- diikuti 10 karakter.',
  WBS_MUST_BE_CONFIDENTIAL: 'Laporan WBS (whistleblowing) selalu bersifat rahasia.',
  NOT_POSTPONED: 'Laporan ini tidak sedang menunggu data tambahan dari Anda.',
  STALE_REQUEST: 'Permintaan data tambahan yang dimaksud sudah tidak berlaku.',
  NO_FOLLOW_UP: 'Belum ada tindak lanjut yang dapat Anda balas.',
  NOT_REPORTER: 'Hanya pelapor laporan ini yang dapat melakukannya.',
  NOT_COMPLETED: 'Penilaian diberikan setelah laporan selesai.',
  ALREADY_RATED: 'Penanganan laporan ini sudah dinilai.',
  INVALID_RATING: 'Nilai berupa bilangan bulat 1 sampai 5.',
  ENTERED_VIA_ONLY_FOR_STAFF: 'Pelapor tidak mengisi enteredVia; kolom itu untuk admin yang mencatat atas nama pelapor.',
};

interface Readable {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string | undefined;
  readonly code?: unknown;
}

/**
 * The problem as this request's caller reads it: on a citizen-facing route, title and detail in the
 * language chosen (Content-Language says which; Vary, because the same URL answers both).
 */
export function inCallersLanguage<P extends Readable>(request: FastifyRequest, reply: FastifyReply, problem: P): P {
  const config = request.routeOptions.config as { citizenFacing?: boolean } | undefined;
  if (config?.citizenFacing !== true) return problem;
  void reply.header('vary', 'Accept-Language');
  const language = problemLanguage(request.headers['accept-language']);
  void reply.header('content-language', language);
  if (language === 'en') return problem;
  const slug = problem.type.slice(problem.type.lastIndexOf('/') + 1);
  const detail = (typeof problem.code === 'string' ? DETAILS[problem.code] : undefined) ?? DETAILS[slug];
  return {
    ...problem,
    title: TITLES[problem.status] ?? 'Permintaan tidak dapat dipenuhi',
    detail: detail ?? `Permintaan tidak dapat dipenuhi (${problem.status}).`,
  };
}
