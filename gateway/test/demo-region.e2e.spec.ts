import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { loadDemoRegion, readDemoRegion } from '../src/seed/demo-region';
import { embeddedStores } from './support/stores';

// The second demo region (infra/demo/lombok-tengah.*) goes in through Admin Nasional's registration
// and the onboarding upload, over HTTP as `pnpm demo:region` sends it; loading it twice changes nothing.

const PASSWORD = 'demo-region-password';

describe('pnpm demo:region', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'demo-region-secret-demo-region-secret-0',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
    }));
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('registers Lombok Tengah with the 13 units of its list, the Bagian Organisasi under the Sekretariat Daerah, once', async () => {
    const { region, csv } = await readDemoRegion(join(__dirname, '..', '..', 'infra', 'demo', 'lombok-tengah.json'));
    const signIn = await fetch(`${baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin-nasional', password: PASSWORD }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };

    expect(await loadDemoRegion(baseUrl, accessToken, region, csv)).toEqual({ registered: true, units: 13, newUnits: 13, newLiaisons: 12 });
    const tree = (await (await fetch(`${baseUrl}/organisation`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as {
      nodes: Array<{ id: string; kind: string; parentId: string | null; name: string }>;
    };
    expect(tree.nodes.filter((node) => node.parentId === region.id)).toHaveLength(12);
    expect(tree.nodes.find((node) => node.id === 'loteng-bagian-organisasi')).toMatchObject({ kind: 'subunit', parentId: 'loteng-setda' });

    expect(await loadDemoRegion(baseUrl, accessToken, region, csv)).toEqual({ registered: false, units: 13, newUnits: 0, newLiaisons: 0 });
  });
});
