import { openEmbeddedStores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { randomBytes } from 'node:crypto';
import { buildGateway } from './app';

/**
 * The merged API document as YAML, built from the route schemas of a gateway on a throwaway
 * in-memory store: the committed `openapi/openapi.yaml` is this text, and a test keeps it so.
 */
export async function renderOpenApiYaml(): Promise<string> {
  const stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
  const { app } = await buildGateway({ store: stores.store, vault: stores.vault, db: stores.db, jwtSecret: 'x'.repeat(32) });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
    await stores.close();
  }
}
