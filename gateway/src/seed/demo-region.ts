import { InstansiKind, IndonesianTimeZone, NodeSlug } from '@lapor/domain';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

// A second demo region, loaded into a running gateway through the very path an instansi takes:
// Admin Nasional registers the instansi, then the instansi's unit list (a CSV in infra/demo/, the
// units of the seeds' Lombok Tengah 2023 table) goes through the onboarding upload, dry run first.
// Running it again changes nothing.

export const DemoRegion = z.strictObject({
  id: NodeSlug,
  name: z.string().min(1),
  kind: InstansiKind,
  timeZone: IndonesianTimeZone,
  /** The unit list beside this file. */
  units: z.string().min(1),
});
export type DemoRegion = z.infer<typeof DemoRegion>;

export async function readDemoRegion(path: string): Promise<{ region: DemoRegion; csv: string }> {
  const region = DemoRegion.parse(JSON.parse(await readFile(path, 'utf8')));
  return { region, csv: await readFile(join(dirname(path), region.units), 'utf8') };
}

export interface RegionLoaded {
  readonly registered: boolean;
  readonly units: number;
  readonly newUnits: number;
  readonly newLiaisons: number;
}

type OnboardingAnswer = { valid: boolean; units: Array<{ status: string }>; liaisons: Array<{ status: string }>; problems: Array<{ message: string }> };

/** Registers the region's instansi (unless it is there) and onboards its units, as Admin Nasional holding `token`. */
export async function loadDemoRegion(baseUrl: string, token: string, region: DemoRegion, csv: string): Promise<RegionLoaded> {
  const headers = { authorization: `Bearer ${token}` };
  const registering = await fetch(`${baseUrl}/organisation/instansi`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ id: region.id, name: region.name, kind: region.kind, timeZone: region.timeZone }),
  });
  const taken = registering.status === 409 && ((await registering.json()) as { code?: string }).code === 'NODE_ID_TAKEN';
  if (!registering.ok && !taken) throw new Error(`registering ${region.id}: ${registering.status} ${await registering.text()}`);

  const upload = (dryRun: boolean) =>
    fetch(`${baseUrl}/organisation/nodes/${region.id}/onboarding${dryRun ? '?dryRun=true' : ''}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: csv,
    });
  const dry = (await (await upload(true)).json()) as OnboardingAnswer;
  if (!dry.valid) throw new Error(`the unit list has problems:\n${dry.problems.map((problem) => problem.message).join('\n')}`);
  const real = await upload(false);
  if (!real.ok) throw new Error(`onboarding ${region.id}: ${real.status} ${await real.text()}`);
  const done = (await real.json()) as OnboardingAnswer;
  return {
    registered: !taken,
    units: done.units.length,
    newUnits: dry.units.filter((unit) => unit.status === 'baru').length,
    newLiaisons: dry.liaisons.filter((liaison) => liaison.status === 'baru').length,
  };
}
