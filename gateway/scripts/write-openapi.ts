// `pnpm openapi`: regenerates openapi/openapi.yaml from the route schemas.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderOpenApiYaml } from '../src/openapi-document';

const target = join(__dirname, '..', '..', 'openapi', 'openapi.yaml');
renderOpenApiYaml()
  .then((yaml) => writeFile(target, yaml))
  .then(() => console.log(`wrote ${target}`))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
