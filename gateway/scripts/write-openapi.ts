// `pnpm openapi`: regenerates openapi/openapi.yaml from the route schemas, and the typed client's types
// (packages/api-client/src/generated/openapi.ts) from that document.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderOpenApiYaml } from '../src/openapi-document';
import { renderClientTypes } from './client-types';

const root = join(__dirname, '..', '..');
const documentPath = join(root, 'openapi', 'openapi.yaml');
const typesPath = join(root, 'packages', 'api-client', 'src', 'generated', 'openapi.ts');

async function main(): Promise<void> {
  const yaml = await renderOpenApiYaml();
  await writeFile(documentPath, yaml);
  console.log(`wrote ${documentPath}`);
  await writeFile(typesPath, await renderClientTypes(yaml));
  console.log(`wrote ${typesPath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
