import type { Random } from '../statistics/random';

// Titles and descriptions in everyday Indonesian, put together from parts so that a million
// complaints do not share ten sentences: search then meets the spread of words it would meet in
// the country (a common problem in many places, a rare one in a few), not ten repeated titles.

const PROBLEMS = [
  'Jalan berlubang',
  'Lampu penerangan jalan mati',
  'Pungutan liar',
  'Antrean pelayanan sangat panjang',
  'Bantuan sosial tidak tepat sasaran',
  'Sampah menumpuk',
  'Gaji guru honorer terlambat',
  'Saluran drainase tersumbat',
  'Izin usaha tidak kunjung selesai',
  'Tarif angkutan umum naik sepihak',
  'Air PDAM tidak mengalir',
  'Listrik sering padam',
  'Jembatan rusak parah',
  'Banjir setiap hujan deras',
  'Pelayanan puskesmas lambat',
  'Obat tidak tersedia di apotek rumah sakit',
  'Ruang kelas rusak',
  'Pungutan uang seragam sekolah',
  'Akta kelahiran belum terbit',
  'KTP elektronik belum jadi',
  'Parkir liar memakan badan jalan',
  'Pedagang kaki lima menutup trotoar',
  'Kemacetan parah',
  'Limbah pabrik berbau busuk',
  'Sungai tercemar limbah',
  'Pohon tumbang menutup jalan',
  'Trotoar rusak dan licin',
  'Kartu Indonesia Sehat ditolak',
  'Pupuk bersubsidi langka',
  'Sinyal telepon hilang',
  'Rumah tidak layak huni belum dibantu',
  'Kebisingan tempat hiburan malam',
  'Petugas meminta imbalan',
  'Sertifikat tanah tertahan',
  'Pengangkutan sampah berhenti',
];
const PLACES = [
  'di depan sekolah',
  'dekat pasar tradisional',
  'di sekitar terminal',
  'di jalan utama desa',
  'di kompleks perumahan',
  'dekat puskesmas',
  'di kantor kecamatan',
  'di samping masjid',
  'di wilayah pesisir',
  'di kawasan industri',
  'di jalan menuju kantor desa',
  'dekat stasiun',
];
const VILLAGES = [
  'Sukajadi',
  'Sukamaju',
  'Karanganyar',
  'Sidomulyo',
  'Tanjungsari',
  'Mekarsari',
  'Margahayu',
  'Wonosari',
  'Cibeunying',
  'Kebonjeruk',
  'Pasirlayung',
  'Lamaknen',
  'Oebobo',
  'Tamalanrea',
  'Batuaji',
  'Sungai Bilu',
  'Kotabaru',
  'Ampenan',
  'Dauh Puri',
  'Sentani',
];
const SINCE = [
  'Sejak dua minggu terakhir',
  'Sudah tiga bulan ini',
  'Sejak awal tahun',
  'Hampir setiap hari',
  'Sejak musim hujan mulai',
  'Dalam sebulan terakhir',
  'Sudah lebih dari setahun',
];
const HARM = [
  'Warga sekitar sangat dirugikan, terutama anak-anak dan lansia.',
  'Beberapa pengendara motor sudah terjatuh dan terluka.',
  'Pedagang mengeluh omzet mereka turun drastis.',
  'Anak-anak terlambat masuk sekolah karenanya.',
  'Kami harus mengeluarkan biaya tambahan yang memberatkan.',
  'Keluarga kami tidak bisa beraktivitas dengan normal.',
  'Kesehatan warga mulai terganggu, banyak yang batuk dan gatal.',
  'Pelayanan publik menjadi tidak adil bagi warga kecil.',
];
const TRIED = [
  'Kami sudah melapor ke kelurahan tetapi belum ada tanggapan.',
  'Ketua RT sudah menyampaikan ke dinas terkait, namun tidak ada tindak lanjut.',
  'Laporan serupa pernah dikirim tahun lalu dan hanya dijanjikan.',
  'Petugas yang datang hanya memotret lalu pergi.',
  'Kami sudah mencoba menghubungi nomor pengaduan tetapi tidak tersambung.',
  '',
];
const ASK = [
  'Mohon segera ditindaklanjuti oleh instansi yang berwenang.',
  'Kami berharap pemerintah daerah turun langsung ke lapangan.',
  'Mohon ada perbaikan sebelum musim hujan berikutnya.',
  'Kami minta petugas yang terlibat diberi sanksi tegas.',
  'Terima kasih atas perhatian Bapak dan Ibu.',
];

/** The problem words a search for a common complaint would use (two words, as people type them). */
export const COMMON_QUERY = 'jalan berlubang';
/** Two words from different parts of a complaint: a problem and where it happened. */
export const MIXED_QUERY = 'sampah pasar';

export function complaintText(rng: Random): { title: string; description: string } {
  const problem = rng.pick(PROBLEMS);
  const place = rng.pick(PLACES);
  const village = rng.pick(VILLAGES);
  const title = rng.chance(0.5) ? `${problem} ${place}` : `${problem} di ${village}`;
  const description = [
    `${rng.pick(SINCE)}, ${problem.toLowerCase()} ${place}, Kelurahan ${village}, RT ${rng.int(1, 15)}/RW ${rng.int(1, 9)}.`,
    rng.pick(HARM),
    rng.pick(TRIED),
    rng.pick(ASK),
  ]
    .filter(Boolean)
    .join(' ');
  return { title, description };
}
