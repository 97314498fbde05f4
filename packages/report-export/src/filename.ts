import { parsePeriod } from './format';
import type { ReportTable } from './table';

// The download's name: what, for whom, for when. Officials keep many of these side by side in one
// folder, so the name must sort and stay short: 'rekapitulasi-kinerja-unit_pemprov-ntt_2024-01-01_2024-12-31.xlsx'.

/** How governments shorten their own names on letters and files. */
const GOVERNMENT_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['pemerintah provinsi', 'pemprov'],
  ['pemerintah kabupaten', 'pemkab'],
  ['pemerintah kota', 'pemkot'],
];

/** Province short forms in common use; only applied right after "provinsi"/"pemprov", where they cannot be a regency's name. */
const PROVINCES: ReadonlyArray<readonly [string, string]> = [
  ['nusa tenggara timur', 'ntt'],
  ['nusa tenggara barat', 'ntb'],
  ['daerah istimewa yogyakarta', 'diy'],
  ['daerah khusus ibukota jakarta', 'dki-jakarta'],
  ['kalimantan barat', 'kalbar'],
  ['kalimantan tengah', 'kalteng'],
  ['kalimantan selatan', 'kalsel'],
  ['kalimantan timur', 'kaltim'],
  ['kalimantan utara', 'kaltara'],
  ['sulawesi utara', 'sulut'],
  ['sulawesi tengah', 'sulteng'],
  ['sulawesi selatan', 'sulsel'],
  ['sulawesi tenggara', 'sultra'],
  ['sulawesi barat', 'sulbar'],
  ['sumatera utara', 'sumut'],
  ['sumatera barat', 'sumbar'],
  ['sumatera selatan', 'sumsel'],
  ['jawa barat', 'jabar'],
  ['jawa tengah', 'jateng'],
  ['jawa timur', 'jatim'],
  ['kepulauan riau', 'kepri'],
  ['kepulauan bangka belitung', 'babel'],
  ['maluku utara', 'malut'],
];

const MAX_PART = 60;

/** 'Rekapitulasi Kinerja Unit' → 'rekapitulasi-kinerja-unit': ASCII, lower case, dashes. */
export const slug = (text: string): string => shorten(words(text).join('-'));

/** 'Pemerintah Provinsi Nusa Tenggara Timur' → 'pemprov-ntt'. */
export function scopeSlug(scope: string): string {
  let text = words(scope).join(' ');
  for (const [long, short] of GOVERNMENT_PREFIXES) text = text.replace(new RegExp(`\\b${long}\\b`, 'g'), short);
  for (const [long, short] of PROVINCES) text = text.replace(new RegExp(`\\b(pemprov|provinsi) ${long}\\b`, 'g'), `$1 ${short}`);
  return shorten(text.replaceAll(' ', '-'));
}

/** The text's words in lower-case ASCII: 'Dinas Pendidikan, Kebudayaan' → ['dinas', 'pendidikan', 'kebudayaan']. */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Cut at a dash, so that a long ministry name does not end in half a word. */
function shorten(dashed: string): string {
  if (dashed.length <= MAX_PART) return dashed;
  const cut = dashed.slice(0, MAX_PART + 1);
  const lastDash = cut.lastIndexOf('-');
  return lastDash > 0 ? cut.slice(0, lastDash) : cut.slice(0, MAX_PART);
}

/** 'title_scope_from_to.ext'; a period that is not two ordered ISO dates throws. */
export function reportFilename(table: Pick<ReportTable, 'title' | 'scope' | 'period'>, extension: 'csv' | 'xlsx'): string {
  parsePeriod(table.period);
  const parts = [slug(table.title) || 'laporan', scopeSlug(table.scope), table.period.from, table.period.to].filter((part) => part !== '');
  return `${parts.join('_')}.${extension}`;
}
