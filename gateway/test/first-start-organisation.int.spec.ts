import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { ORGANISATION_STREAM, OrganisationDirectory } from '@lapor/workflow';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { firstStartSeed, registerFirstOrganisation } from '../src/seed/first-start';

// The demo organisation is registered through the administration's own commands, so what
// infra/start.sh starts with is what an administrator could have built, recorded the same way.

describe('the first start’s organisation', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await createPGliteEventStore();
  });
  afterEach(() => store.close());

  it('registers the demo’s instansi and units as InstansiRegistered and UnitAdded, once', async () => {
    const seed = firstStartSeed({ demo: true, demoPassword: 'x', firstAdmin: undefined });
    const { directory } = await OrganisationDirectory.open(store, seed.organisation);
    expect(await registerFirstOrganisation(directory, seed.demoOrganisation, () => 'pemprov', '2026-01-05T01:00:00.000Z')).toBe(true);

    expect([...directory.tree.nodes].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...DEMO_ORGANISATION].sort((a, b) => a.id.localeCompare(b.id)));
    expect(directory.organisation.nodes.get(NTT_ID)).toMatchObject({ instansiKind: 'pemprov', active: true });
    const types = (await store.readStream(ORGANISATION_STREAM)).map((event) => event.type);
    expect(types).toEqual(['OrganisationNodeRegistered', 'InstansiRegistered', ...Array<string>(40).fill('UnitAdded')]);

    // a restart (or a second gateway) finds it there and adds nothing
    const { directory: again } = await OrganisationDirectory.open(store, seed.organisation);
    expect(await registerFirstOrganisation(again, seed.demoOrganisation, () => 'pemprov', '2026-01-05T01:00:00.000Z')).toBe(false);
    expect(await store.readStream(ORGANISATION_STREAM)).toHaveLength(42);
  });

  it('registers nothing below the root without the demo', async () => {
    const seed = firstStartSeed({ demo: false, demoPassword: 'x', firstAdmin: { username: 'admin', password: 'a-long-password' } });
    const { directory } = await OrganisationDirectory.open(store, seed.organisation);
    expect(await registerFirstOrganisation(directory, seed.demoOrganisation, () => 'pemprov', '2026-01-05T01:00:00.000Z')).toBe(false);
    expect(directory.tree.nodes.map((node) => node.id)).toEqual(['nasional']);
  });
});
