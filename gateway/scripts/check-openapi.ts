// `pnpm openapi:check` (run in CI by infra/test.sh): the document the routes generate must equal the
// committed openapi/openapi.yaml, and must break nothing of the last released one
// (openapi/released/<version>.yaml) unless its own version's info.x-changelog declares the break.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { breakingChanges, declaredBreaks } from '../src/openapi-compat';
import { renderOpenApiYaml } from '../src/openapi-document';

const root = join(__dirname, '..', '..');

const byVersion = (a: string, b: string): number => {
  const parts = (name: string) =>
    name
      .replace(/\.yaml$/, '')
      .split('.')
      .map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index += 1) if ((x[index] ?? 0) !== (y[index] ?? 0)) return (x[index] ?? 0) - (y[index] ?? 0);
  return 0;
};

async function main(): Promise<number> {
  const generated = await renderOpenApiYaml();
  const committed = await readFile(join(root, 'openapi', 'openapi.yaml'), 'utf8');
  const problems: string[] = [];
  if (generated !== committed) problems.push('openapi/openapi.yaml is not what the routes generate: run `pnpm openapi`');
  const document = parse(generated) as Record<string, unknown>;
  const releases = (await readdir(join(root, 'openapi', 'released'))).filter((name) => name.endsWith('.yaml')).sort(byVersion);
  const last = releases.at(-1);
  if (last !== undefined) {
    const released = parse(await readFile(join(root, 'openapi', 'released', last), 'utf8')) as Record<string, unknown>;
    const declared = declaredBreaks(document);
    for (const change of breakingChanges(released, document)) {
      if (!declared.has(change)) problems.push(`breaking change against released ${last}, not declared in info.x-changelog: ${change}`);
    }
  }
  for (const problem of problems) console.error(problem);
  if (problems.length === 0) console.log(`openapi: up to date, nothing broken against ${last ?? 'no release'}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
