import { assignableCategory, CATEGORY_STREAM } from '@lapor/domain';
import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { CategoryCatalog } from '@lapor/workflow';
import { NTT_ID } from '../src/seed/demo-organisation';
import { DEMO_CATEGORIES, registerDemoCategories } from '../src/seed/demo-categories';

// The demo's national taxonomy is recorded through Admin Nasional's own commands, so a demo
// verifier picks kategori named after the seeds' topics, and a restart records nothing twice.

describe('the demo’s category taxonomy', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await createPGliteEventStore();
  });
  afterEach(() => store.close());

  it('given an empty store, then every demo kategori and sub-kategori is recorded as CategoryAdded, national, and assignable in NTT', async () => {
    expect(await registerDemoCategories(new CategoryCatalog(store), '2026-01-05T01:00:00.000Z')).toBe(true);

    const { taxonomy } = await new CategoryCatalog(store).latest();
    const expected = DEMO_CATEGORIES.flatMap((kategori) => [kategori.id, ...kategori.sub.map((sub) => sub.id)]);
    expect([...taxonomy.categories.keys()].sort()).toEqual([...expected].sort());
    expect(taxonomy.categories.get('perbaikan-jalan')).toMatchObject({ parentId: 'infrastruktur', instansiId: null, names: [{ name: 'Perbaikan Jalan' }] });
    for (const id of expected) expect(assignableCategory(taxonomy, NTT_ID, id).ok).toBe(true);
    expect((await store.readStream(CATEGORY_STREAM)).every((event) => event.type === 'CategoryAdded')).toBe(true);
  });

  it('given a store with a taxonomy already (a restart, or a second gateway), then nothing is recorded again', async () => {
    await registerDemoCategories(new CategoryCatalog(store), '2026-01-05T01:00:00.000Z');
    const recorded = (await store.readStream(CATEGORY_STREAM)).length;

    expect(await registerDemoCategories(new CategoryCatalog(store), '2026-01-06T01:00:00.000Z')).toBe(false);
    expect(await store.readStream(CATEGORY_STREAM)).toHaveLength(recorded);
  });
});
