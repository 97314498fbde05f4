import { DeciderSpecification } from '@lapor/testing';
import { assignableCategory, categoryDecider, categoryNameAt, evolveCategoryTaxonomy, initialCategoryTaxonomy } from '../../src';
import type { Actor, CategoryCommand, CategoryEvent } from '../../src';

// The category taxonomy's rules, given what the stream holds and an administrator's command.

const spec = DeciderSpecification.for(categoryDecider);
const NOW = '2025-07-01T02:00:00.000Z';
const EARLIER = '2024-01-10T00:00:00.000Z';

const actors = {
  nasional: { role: 'admin_nasional', id: 'admin-nas-1', nodeId: 'nasional' },
  ntt: { role: 'admin_instansi', id: 'admin-ntt-1', nodeId: 'pemprov-ntt' },
  batam: { role: 'admin_instansi', id: 'admin-batam-1', nodeId: 'pemkot-batam' },
  liaison: { role: 'liaison', id: 'pp-dikbud-1', nodeId: 'ntt-dikbud' },
} as const satisfies Record<string, Actor>;
const instansiOf: Record<string, string | null> = { nasional: null, ntt: 'pemprov-ntt', batam: 'pemkot-batam', liaison: 'pemprov-ntt' };

const meta = (who: keyof typeof actors) => ({ now: NOW, actor: actors[who], actorInstansiId: instansiOf[who] ?? null });
const added = (categoryId: string, name: string, parentId: string | null = null, instansiId: string | null = null, at = EARLIER): CategoryEvent => ({
  type: 'CategoryAdded',
  schemaVersion: 1,
  data: { categoryId, name, parentId, instansiId, at, by: actors.nasional },
});
const add = (
  who: keyof typeof actors,
  categoryId: string,
  name: string,
  parentId: string | null = null,
  instansiId: string | null = null,
): CategoryCommand => ({
  type: 'AddCategory',
  data: { categoryId, name, parentId, instansiId },
  metadata: meta(who),
});
const rename = (who: keyof typeof actors, categoryId: string, name: string): CategoryCommand => ({
  type: 'RenameCategory',
  data: { categoryId, name },
  metadata: meta(who),
});
const deactivate = (who: keyof typeof actors, categoryId: string): CategoryCommand => ({
  type: 'DeactivateCategory',
  data: { categoryId },
  metadata: meta(who),
});

const NATIONAL: CategoryEvent[] = [
  added('infrastruktur', 'Infrastruktur'),
  added('infrastruktur-jalan', 'Jalan dan Jembatan', 'infrastruktur'),
  added('pendidikan', 'Pendidikan'),
];

describe('the category taxonomy', () => {
  describe('Admin Nasional manages the national taxonomy', () => {
    it('adds a kategori and a sub-kategori under it', () => {
      spec
        .given(NATIONAL)
        .when(add('nasional', 'kesehatan', 'Kesehatan'))
        .then([
          {
            type: 'CategoryAdded',
            schemaVersion: 1,
            data: { categoryId: 'kesehatan', name: 'Kesehatan', parentId: null, instansiId: null, at: NOW, by: actors.nasional },
          },
        ]);
      spec
        .given(NATIONAL)
        .when(add('nasional', 'pendidikan-sma', 'SMA/SMK', 'pendidikan'))
        .then([
          {
            type: 'CategoryAdded',
            schemaVersion: 1,
            data: { categoryId: 'pendidikan-sma', name: 'SMA/SMK', parentId: 'pendidikan', instansiId: null, at: NOW, by: actors.nasional },
          },
        ]);
    });

    it('keeps two levels, unique ids and unique names among active siblings', () => {
      spec
        .given(NATIONAL)
        .when(add('nasional', 'jalan-desa', 'Jalan Desa', 'infrastruktur-jalan'))
        .thenThrows('CATEGORY_TOO_DEEP');
      spec
        .given(NATIONAL)
        .when(add('nasional', 'pendidikan', 'Lain'))
        .thenThrows('CATEGORY_ID_TAKEN');
      spec
        .given(NATIONAL)
        .when(add('nasional', 'pendidikan-2', ' pendidikan '))
        .thenThrows('CATEGORY_NAME_TAKEN');
      spec
        .given(NATIONAL)
        .when(add('nasional', 'x', 'X', 'tidak-ada'))
        .thenThrows('CATEGORY_NOT_FOUND');
    });

    it('renames, recording the previous name', () => {
      spec
        .given(NATIONAL)
        .when(rename('nasional', 'pendidikan', 'Pendidikan dan Kebudayaan'))
        .then([
          {
            type: 'CategoryRenamed',
            schemaVersion: 1,
            data: { categoryId: 'pendidikan', name: 'Pendidikan dan Kebudayaan', previousName: 'Pendidikan', at: NOW, by: actors.nasional },
          },
        ]);
      spec
        .given(NATIONAL)
        .when(rename('nasional', 'pendidikan', 'Pendidikan'))
        .thenThrows('NO_CHANGE');
    });

    it('deactivates a sub-kategori, and a kategori only once its sub-kategori are', () => {
      spec.given(NATIONAL).when(deactivate('nasional', 'infrastruktur')).thenThrows('CATEGORY_HAS_ACTIVE_CHILDREN');
      spec
        .given(NATIONAL)
        .when(deactivate('nasional', 'infrastruktur-jalan'))
        .then([{ type: 'CategoryDeactivated', schemaVersion: 1, data: { categoryId: 'infrastruktur-jalan', at: NOW, by: actors.nasional } }]);
      const gone: CategoryEvent = { type: 'CategoryDeactivated', schemaVersion: 1, data: { categoryId: 'pendidikan', at: EARLIER, by: actors.nasional } };
      spec
        .given([...NATIONAL, gone])
        .when(deactivate('nasional', 'pendidikan'))
        .thenThrows('CATEGORY_INACTIVE');
      spec
        .given([...NATIONAL, gone])
        .when(add('nasional', 'pendidikan-sd', 'SD', 'pendidikan'))
        .thenThrows('CATEGORY_INACTIVE');
    });
  });

  describe('an instansi admin adds only in its own subtree', () => {
    it('adds a sub-kategori under a national kategori, for its own instansi', () => {
      spec
        .given(NATIONAL)
        .when(add('ntt', 'ntt-jalan-provinsi', 'Jalan Provinsi NTT', 'infrastruktur', 'pemprov-ntt'))
        .then([
          {
            type: 'CategoryAdded',
            schemaVersion: 1,
            data: {
              categoryId: 'ntt-jalan-provinsi',
              name: 'Jalan Provinsi NTT',
              parentId: 'infrastruktur',
              instansiId: 'pemprov-ntt',
              at: NOW,
              by: actors.ntt,
            },
          },
        ]);
    });

    it('is refused for another instansi, for the national taxonomy, and for a name a national sibling has', () => {
      spec
        .given(NATIONAL)
        .when(add('ntt', 'x', 'X', null, 'pemkot-batam'))
        .thenThrows('OUTSIDE_SCOPE');
      spec
        .given(NATIONAL)
        .when(add('ntt', 'x', 'X', null, null))
        .thenThrows('OUTSIDE_SCOPE');
      spec
        .given(NATIONAL)
        .when(rename('ntt', 'pendidikan', 'Sekolah'))
        .thenThrows('OUTSIDE_SCOPE');
      spec.given(NATIONAL).when(deactivate('ntt', 'infrastruktur-jalan')).thenThrows('OUTSIDE_SCOPE');
      spec
        .given(NATIONAL)
        .when(add('ntt', 'ntt-jalan', 'Jalan dan Jembatan', 'infrastruktur', 'pemprov-ntt'))
        .thenThrows('CATEGORY_NAME_TAKEN');
    });

    it('never learns of another instansi’s additions, whose names do not clash with its own', () => {
      const batams = added('batam-pelabuhan', 'Pelabuhan', null, 'pemkot-batam');
      spec
        .given([...NATIONAL, batams])
        .when(rename('ntt', 'batam-pelabuhan', 'Dermaga'))
        .thenThrows('CATEGORY_NOT_FOUND');
      spec
        .given([...NATIONAL, batams])
        .when(add('ntt', 'ntt-sub', 'Sub', 'batam-pelabuhan', 'pemprov-ntt'))
        .thenThrows('CATEGORY_NOT_FOUND');
      spec
        .given([...NATIONAL, batams])
        .when(add('ntt', 'ntt-pelabuhan', 'Pelabuhan', null, 'pemprov-ntt'))
        .then([
          {
            type: 'CategoryAdded',
            schemaVersion: 1,
            data: { categoryId: 'ntt-pelabuhan', name: 'Pelabuhan', parentId: null, instansiId: 'pemprov-ntt', at: NOW, by: actors.ntt },
          },
        ]);
    });

    it('is no business of a liaison', () => {
      spec
        .given(NATIONAL)
        .when(add('liaison', 'x', 'X', null, 'pemprov-ntt'))
        .thenThrows('ROLE_NOT_ALLOWED');
    });
  });

  describe('what verification and the recap read', () => {
    const fold = (events: CategoryEvent[]) => events.reduce(evolveCategoryTaxonomy, initialCategoryTaxonomy());

    it('assigns only a category the instansi sees and that is active, with its kategori', () => {
      const taxonomy = fold([
        ...NATIONAL,
        added('batam-pelabuhan', 'Pelabuhan', null, 'pemkot-batam'),
        { type: 'CategoryDeactivated', schemaVersion: 1, data: { categoryId: 'pendidikan', at: NOW, by: actors.nasional } },
        added('pendidikan-sd', 'SD', 'pendidikan'),
      ]);
      expect(assignableCategory(taxonomy, 'pemprov-ntt', 'infrastruktur-jalan')).toMatchObject({ ok: true });
      expect(assignableCategory(taxonomy, 'pemkot-batam', 'batam-pelabuhan')).toMatchObject({ ok: true });
      expect(assignableCategory(taxonomy, 'pemprov-ntt', 'batam-pelabuhan')).toEqual({ ok: false, reason: 'unknown' });
      expect(assignableCategory(taxonomy, 'pemprov-ntt', 'tidak-ada')).toEqual({ ok: false, reason: 'unknown' });
      expect(assignableCategory(taxonomy, 'pemprov-ntt', 'pendidikan')).toEqual({ ok: false, reason: 'inactive' });
      expect(assignableCategory(taxonomy, 'pemprov-ntt', 'pendidikan-sd')).toEqual({ ok: false, reason: 'inactive' });
    });

    it('gives a past period the name the category had then', () => {
      const taxonomy = fold([
        ...NATIONAL,
        {
          type: 'CategoryRenamed',
          schemaVersion: 1,
          data: { categoryId: 'pendidikan', name: 'Pendidikan dan Kebudayaan', previousName: 'Pendidikan', at: NOW, by: actors.nasional },
        },
      ]);
      const pendidikan = taxonomy.categories.get('pendidikan')!;
      expect(categoryNameAt(pendidikan, '2024-12-31T16:59:59.999Z')).toBe('Pendidikan');
      expect(categoryNameAt(pendidikan, NOW)).toBe('Pendidikan dan Kebudayaan');
      expect(categoryNameAt(pendidikan, '2023-01-01T00:00:00.000Z')).toBe('Pendidikan');
    });
  });
});
