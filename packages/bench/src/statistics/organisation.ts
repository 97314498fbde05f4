import { buildOrganisationTree, type IndonesianTimeZone, type OrganisationNode, type OrganisationTree } from '@lapor/domain';

// The bench's organisation: nasional, the 34 provinces as instansi in their own zones (18 WIB,
// 12 WITA, 4 WIT), and 20 dinas under each: 680 units, the size the issue names.

const WIB: IndonesianTimeZone = 'Asia/Jakarta';
const WITA: IndonesianTimeZone = 'Asia/Makassar';
const WIT: IndonesianTimeZone = 'Asia/Jayapura';

/** [id, name, zone, weight]: the weight is roughly the province's population in millions, so doors are uneven. */
const PROVINCES: readonly (readonly [string, string, IndonesianTimeZone, number])[] = [
  ['aceh', 'Aceh', WIB, 5.4],
  ['sumut', 'Sumatera Utara', WIB, 15.1],
  ['sumbar', 'Sumatera Barat', WIB, 5.6],
  ['riau', 'Riau', WIB, 6.6],
  ['kepri', 'Kepulauan Riau', WIB, 2.1],
  ['jambi', 'Jambi', WIB, 3.6],
  ['sumsel', 'Sumatera Selatan', WIB, 8.7],
  ['babel', 'Kepulauan Bangka Belitung', WIB, 1.5],
  ['bengkulu', 'Bengkulu', WIB, 2.0],
  ['lampung', 'Lampung', WIB, 9.2],
  ['dki', 'DKI Jakarta', WIB, 10.7],
  ['jabar', 'Jawa Barat', WIB, 49.9],
  ['banten', 'Banten', WIB, 12.3],
  ['jateng', 'Jawa Tengah', WIB, 37.5],
  ['diy', 'Daerah Istimewa Yogyakarta', WIB, 3.7],
  ['jatim', 'Jawa Timur', WIB, 41.4],
  ['kalbar', 'Kalimantan Barat', WIB, 5.6],
  ['kalteng', 'Kalimantan Tengah', WIB, 2.7],
  ['bali', 'Bali', WITA, 4.4],
  ['ntb', 'Nusa Tenggara Barat', WITA, 5.5],
  ['ntt', 'Nusa Tenggara Timur', WITA, 5.5],
  ['kalsel', 'Kalimantan Selatan', WITA, 4.2],
  ['kaltim', 'Kalimantan Timur', WITA, 3.9],
  ['kaltara', 'Kalimantan Utara', WITA, 0.7],
  ['sulut', 'Sulawesi Utara', WITA, 2.7],
  ['gorontalo', 'Gorontalo', WITA, 1.2],
  ['sulteng', 'Sulawesi Tengah', WITA, 3.1],
  ['sulbar', 'Sulawesi Barat', WITA, 1.4],
  ['sulsel', 'Sulawesi Selatan', WITA, 9.2],
  ['sultra', 'Sulawesi Tenggara', WITA, 2.7],
  ['maluku', 'Maluku', WIT, 1.9],
  ['malut', 'Maluku Utara', WIT, 1.3],
  ['papua', 'Papua', WIT, 4.3],
  ['pabar', 'Papua Barat', WIT, 1.1],
];

/** [suffix, name, weight]: roads and schools hear more complaints than the archives office. */
const DINAS: readonly (readonly [string, string, number])[] = [
  ['pupr', 'Dinas Pekerjaan Umum dan Penataan Ruang', 14],
  ['dikbud', 'Dinas Pendidikan dan Kebudayaan', 12],
  ['dinkes', 'Dinas Kesehatan', 11],
  ['rsud', 'Rumah Sakit Umum Daerah', 9],
  ['dukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 9],
  ['dishub', 'Dinas Perhubungan', 7],
  ['dinsos', 'Dinas Sosial', 7],
  ['dlh', 'Dinas Lingkungan Hidup', 5],
  ['bapenda', 'Badan Pendapatan Daerah', 5],
  ['disnaker', 'Dinas Tenaga Kerja dan Transmigrasi', 4],
  ['perkim', 'Dinas Perumahan dan Kawasan Permukiman', 3],
  ['satpolpp', 'Satuan Polisi Pamong Praja', 3],
  ['bpbd', 'Badan Penanggulangan Bencana Daerah', 2],
  ['distan', 'Dinas Pertanian dan Ketahanan Pangan', 2],
  ['disperindag', 'Dinas Perindustrian dan Perdagangan', 2],
  ['diskominfo', 'Dinas Komunikasi dan Informatika', 2],
  ['bkd', 'Badan Kepegawaian Daerah', 1],
  ['dkp', 'Dinas Kelautan dan Perikanan', 1],
  ['dispar', 'Dinas Pariwisata', 1],
  ['dpmptsp', 'Dinas Penanaman Modal dan PTSP', 1],
];

export interface BenchInstansi {
  readonly id: string;
  readonly zone: IndonesianTimeZone;
  readonly units: readonly string[];
}

export interface BenchOrganisation {
  readonly tree: OrganisationTree;
  readonly instansi: readonly BenchInstansi[];
  /** Cumulative weights, for picking a door or a unit in proportion. */
  readonly instansiWeights: readonly number[];
  readonly unitWeights: readonly number[];
  readonly units: number;
}

const cumulative = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((weight) => (sum += weight));
};

export function benchOrganisation(): BenchOrganisation {
  const nodes: OrganisationNode[] = [{ kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null }];
  const instansi: BenchInstansi[] = [];
  for (const [id, name, zone] of PROVINCES) {
    nodes.push({ kind: 'instansi', id, name: `Pemerintah Provinsi ${name}`, parentId: 'nasional', timeZone: zone });
    const units = DINAS.map(([suffix]) => `${id}-${suffix}`);
    DINAS.forEach(([, unitName], index) => nodes.push({ kind: 'unit', id: units[index]!, name: `${unitName} Provinsi ${name}`, parentId: id }));
    instansi.push({ id, zone, units });
  }
  return {
    tree: buildOrganisationTree(nodes),
    instansi,
    instansiWeights: cumulative(PROVINCES.map(([, , , weight]) => weight)),
    unitWeights: cumulative(DINAS.map(([, , weight]) => weight)),
    units: instansi.length * DINAS.length,
  };
}

// The national tree the read-side bench lists over: every province again, each with its
// kabupaten and kota (514 across the country, shared out by population), and the ministries and
// agencies at the centre: about 650 instansi, each with 30 units (its dinas and ten kecamatan or
// directorates), about 20,000 units in all.

const KABUPATEN_KOTA = 514;
const MINISTRIES = 100;
const EXTRA_UNITS: readonly (readonly [string, string, number])[] = Array.from(
  { length: 10 },
  (_, index) => [`kec${index + 1}`, `Kecamatan ${index + 1}`, 2] as const,
);
const NATIONAL_UNITS = [...DINAS, ...EXTRA_UNITS];

export function nationalOrganisation(): BenchOrganisation {
  const nodes: OrganisationNode[] = [{ kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null }];
  const instansi: BenchInstansi[] = [];
  const weights: number[] = [];
  const add = (id: string, name: string, zone: IndonesianTimeZone, weight: number, unitName: (name: string) => string): void => {
    nodes.push({ kind: 'instansi', id, name, parentId: 'nasional', timeZone: zone });
    const units = NATIONAL_UNITS.map(([suffix]) => `${id}-${suffix}`);
    NATIONAL_UNITS.forEach(([, name], index) => nodes.push({ kind: 'unit', id: units[index]!, name: unitName(name), parentId: id }));
    instansi.push({ id, zone, units });
    weights.push(weight);
  };
  const population = PROVINCES.reduce((sum, [, , , weight]) => sum + weight, 0);
  for (const [id, name, zone, weight] of PROVINCES) {
    // the province's own offices hear a fifth of its complaints, its kabupaten and kota the rest
    add(id, `Pemerintah Provinsi ${name}`, zone, weight * 0.2, (unit) => `${unit} Provinsi ${name}`);
    const regencies = Math.max(2, Math.round((weight / population) * KABUPATEN_KOTA));
    for (let index = 1; index <= regencies; index++) {
      const place = `${index % 5 === 0 ? 'Kota' : 'Kabupaten'} ${name} ${index}`;
      // uneven: the first regencies of a province are its big cities
      add(`${id}-${index}`, `Pemerintah ${place}`, zone, ((weight * 0.8) / regencies) * (1.5 / Math.sqrt(index)), (unit) => `${unit} ${place}`);
    }
  }
  for (let index = 1; index <= MINISTRIES; index++) {
    add(`kl-${index}`, `Kementerian/Lembaga ${index}`, 'Asia/Jakarta', (population * 0.1) / MINISTRIES, (unit) => `${unit} (Kementerian/Lembaga ${index})`);
  }
  return {
    tree: buildOrganisationTree(nodes),
    instansi,
    instansiWeights: cumulative(weights),
    unitWeights: cumulative(NATIONAL_UNITS.map(([, , weight]) => weight)),
    units: instansi.length * NATIONAL_UNITS.length,
  };
}
