import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';

// The demo organisation is the NTT 2024 report's "Unit Kerja" table (seed 000). Text copied from a
// document brings its headings along ("Nama", an admin's name over the next table): those are not
// units, and as nodes they showed up as empty rows in every recap and export.

const units = DEMO_ORGANISATION.filter((node) => node.parentId === NTT_ID);

describe('the demo organisation', () => {
  it('given the NTT units, then none is named like a heading of the report’s tables or like an admin account', () => {
    const headings = ['nama', 'unit kerja', 'login terakhir', 'verifikasi', 'tunda', 'arsip', 'total', 'rata-rata verifikasi'];
    expect(units.filter((node) => headings.includes(node.name.toLowerCase()) || /^admin\b/i.test(node.name))).toEqual([]);
  });

  it('given the NTT units, then each is named for the kind of body it is, as perangkat daerah are', () => {
    const kinds = /^(Badan|Biro|Dinas|Inspektorat|PTD|RSUD|Satuan|Sekretariat) /;
    expect(units.filter((node) => !kinds.test(node.name)).map((node) => node.name)).toEqual([]);
  });

  it('given the tree, then NTT holds the 40 perangkat daerah of its 2024 report, ids and names each once', () => {
    expect(units).toHaveLength(40);
    expect(new Set(DEMO_ORGANISATION.map((node) => node.id)).size).toBe(DEMO_ORGANISATION.length);
    expect(new Set(units.map((node) => node.name)).size).toBe(units.length);
  });
});
