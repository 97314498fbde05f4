import type { Actor, CategoryCommand } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import type { CategoryCatalog } from '@lapor/workflow';
import { randomUUID } from 'node:crypto';
import { NATIONAL_ROOT } from './first-start';

// The demo's national taxonomy: kategori and sub-kategori named after the topics the seeds' topic
// recap lists (Kalimantan Timur's "Keterangan": PERBAIKAN JALAN, PUNGLI, VAKSIN, TAMBANG ILEGAL...),
// so a verifier in the demo picks what a real instansi's officials typed by hand.

interface DemoKategori {
  readonly id: string;
  readonly name: string;
  readonly sub: readonly { readonly id: string; readonly name: string }[];
}

export const DEMO_CATEGORIES: readonly DemoKategori[] = [
  {
    id: 'infrastruktur',
    name: 'Infrastruktur',
    sub: [
      { id: 'perbaikan-jalan', name: 'Perbaikan Jalan' },
      { id: 'pengalihan-jalan', name: 'Pengalihan Jalan' },
      { id: 'bendungan', name: 'Bendungan dan Irigasi' },
    ],
  },
  {
    id: 'pendidikan',
    name: 'Pendidikan',
    sub: [
      { id: 'pungutan-sekolah', name: 'Pungutan Liar di Sekolah' },
      { id: 'yayasan-pendidikan', name: 'Yayasan Pendidikan' },
    ],
  },
  { id: 'kesehatan', name: 'Kesehatan', sub: [{ id: 'vaksinasi', name: 'Vaksinasi' }] },
  {
    id: 'lingkungan-hidup',
    name: 'Lingkungan Hidup',
    sub: [
      { id: 'limbah-tambang', name: 'Limbah Pertambangan' },
      { id: 'tambang-ilegal', name: 'Tambang Ilegal' },
    ],
  },
  { id: 'ketenagakerjaan', name: 'Ketenagakerjaan', sub: [{ id: 'hak-buruh', name: 'Hak Buruh' }] },
  { id: 'kepegawaian', name: 'Kepegawaian', sub: [{ id: 'informasi-cpns', name: 'Informasi CPNS' }] },
  { id: 'komunikasi-informatika', name: 'Komunikasi dan Informatika', sub: [{ id: 'tanda-tangan-digital', name: 'Tanda Tangan Digital' }] },
];

/** Who records the demo's taxonomy: the national administration, as the system starting it. */
const FIRST_START: Actor = { role: 'admin_nasional', id: 'first-start', nodeId: NATIONAL_ROOT.id };

/**
 * The demo taxonomy recorded through the same commands Admin Nasional sends (AddCategory), kategori
 * before their sub-kategori, as one append; only on a store with no taxonomy yet, so a restart (or a
 * second gateway starting at the same moment) changes nothing. True when this start recorded it.
 */
export async function registerDemoCategories(catalog: CategoryCatalog, now: string): Promise<boolean> {
  const metadata = { now, actor: FIRST_START, actorInstansiId: null };
  const commands = DEMO_CATEGORIES.flatMap((kategori): CategoryCommand[] => [
    { type: 'AddCategory', data: { categoryId: kategori.id, name: kategori.name, parentId: null, instansiId: null }, metadata },
    ...kategori.sub.map((sub): CategoryCommand => ({
      type: 'AddCategory',
      data: { categoryId: sub.id, name: sub.name, parentId: kategori.id, instansiId: null },
      metadata,
    })),
  ]);
  try {
    await catalog.executeAll(commands, { commandId: randomUUID(), expectedVersion: -1n });
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return false;
    throw error;
  }
}
