// pnpm demo:region [region] (from the repository root): loads infra/demo/<region>.json (default lombok-tengah) into the gateway
// running at LAPOR_URL (default http://127.0.0.1:3000), signed in as the demo's Admin Nasional
// (LAPOR_DEMO_PASSWORD, or the demo default). Start the gateway first: bash infra/start.sh.
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from '../src/seed/demo-accounts';
import { loadDemoRegion, readDemoRegion } from '../src/seed/demo-region';

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'lombok-tengah';
  const baseUrl = process.env.LAPOR_URL ?? 'http://127.0.0.1:3000';
  const { region, csv } = await readDemoRegion(join(process.cwd(), 'infra', 'demo', `${name}.json`));
  const signIn = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin-nasional', password: process.env.LAPOR_DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`signing in as admin-nasional at ${baseUrl}: ${signIn.status}`);
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const loaded = await loadDemoRegion(baseUrl, accessToken, region, csv);
  console.log(
    `${region.name}: ${loaded.registered ? 'registered' : 'already registered'}; ${loaded.units} units in the list, ${loaded.newUnits} new; ${loaded.newLiaisons} new liaison accounts`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
