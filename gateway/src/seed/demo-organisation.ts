// The demo organisation seeded on an empty store: Admin Nasional and the Pemerintah Provinsi Nusa
// Tenggara Timur with its 40 perangkat daerah as listed in the province's 2024 LAPOR! report (seed
// 000_fb638b47413884f8: the rows of the table "Unit Kerja" below the province's own; the "Nama" and
// "Admin Provinsi Ntt2" after it are the next table's heading and administrator, not units). NTT
// works in WITA.
import type { OrganisationNode } from '@lapor/domain';

export const NTT_ID = 'pemprov-ntt';

const NTT_UNITS: ReadonlyArray<readonly [id: string, name: string]> = [
  ['ntt-badan-kepegawaian-daerah', 'Badan Kepegawaian Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-koperasi-tenaga-kerja-dan-transmigrasi', 'Dinas Koperasi, Tenaga Kerja dan Transmigrasi Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', 'Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pendidikan-dan-kebudayaan', 'Dinas Pendidikan dan Kebudayaan Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-kelautan-dan-perikanan', 'Dinas Kelautan dan Perikanan Provinsi Nusa Tenggara Timur'],
  ['ntt-inspektorat-daerah', 'Inspektorat Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-perhubungan', 'Dinas Perhubungan Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-penanggulangan-bencana-daerah', 'Badan Penanggulangan Bencana Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-sosial', 'Dinas Sosial Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-pendapatan-dan-aset-daerah', 'Badan Pendapatan dan Aset Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pemberdayaan-masyarakat-dan-desa', 'Dinas Pemberdayaan Masyarakat dan Desa Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-penanaman-modal-dan-pelayanan-terpadu-satu-pintu', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu'],
  ['ntt-dinas-perindustrian-dan-perdagangan', 'Dinas Perindustrian dan Perdagangan Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pertanian-dan-ketahanan-pangan', 'Dinas Pertanian dan Ketahanan Pangan Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-kesatuan-bangsa-dan-politik', 'Badan Kesatuan Bangsa dan Politik Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-keuangan-daerah', 'Badan Keuangan Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-pengelola-perbatasan', 'Badan Pengelola Perbatasan Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-pengembangan-sdm-daerah', 'Badan Pengembangan SDM Daerah Provinsi Nusa Tenggara Timur'],
  ['ntt-badan-penghubung', 'Badan Penghubung Provinsi Nusa Tenggara Timur'],
  [
    'ntt-badan-perencanaan-pembangunan-penelitian-dan-pengembangan-da',
    'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Nusa Tenggara Timur',
  ],
  ['ntt-biro-administrasi-pimpinan', 'Biro Administrasi Pimpinan Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-ekonomi-dan-kerjasama', 'Biro Ekonomi dan Kerjasama Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-hukum', 'Biro Hukum Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-organisasi', 'Biro Organisasi Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-pemerintahan', 'Biro Pemerintahan Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-pengadaan-barang-dan-jasa', 'Biro Pengadaan Barang dan Jasa Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-biro-umum', 'Biro Umum Setda Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-komunikasi-dan-informatika', 'Dinas Komunikasi dan Informatika Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-energi-dan-sumber-daya-mineral', 'Dinas Energi dan Sumber Daya Mineral Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-kearsipan-dan-perpustakaan', 'Dinas Kearsipan dan Perpustakaan Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-kepemudaan-dan-olahraga', 'Dinas Kepemudaan dan Olahraga Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-kesehatan', 'Dinas Kesehatan Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-lingkungan-hidup-dan-kehutanan', 'Dinas Lingkungan Hidup dan Kehutanan Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pariwisata-dan-ekonomi-kreatif', 'Dinas Pariwisata dan Ekonomi Kreatif Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-pemberdayaan-perempuan-dan-perlindungan-anak', 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Nusa Tenggara Timur'],
  ['ntt-dinas-peternakan', 'Dinas Peternakan Provinsi Nusa Tenggara Timur'],
  ['ntt-rsud-prof-dr-w-z-johannes-kupang', 'RSUD Prof. DR. W. Z. Johannes Kupang Provinsi Nusa Tenggara Timur'],
  ['ntt-satuan-polisi-pamong-praja', 'Satuan Polisi Pamong Praja Provinsi Nusa Tenggara Timur'],
  ['ntt-sekretariat-dprd', 'Sekretariat DPRD Provinsi Nusa Tenggara Timur'],
  ['ntt-ptd-pendapatan-samsat-kota', 'PTD Pendapatan / SAMSAT Kota'],
];

export const DEMO_ORGANISATION: readonly OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: NTT_ID, name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  ...NTT_UNITS.map(([id, name]) => ({ kind: 'unit' as const, id, name, parentId: NTT_ID })),
];
