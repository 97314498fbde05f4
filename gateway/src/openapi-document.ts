import { createPGliteEventStore } from '@lapor/event-store';
import { buildGateway } from './app';

/**
 * The merged API document as YAML, built from the route schemas of a gateway on a throwaway
 * in-memory store: the committed `openapi/openapi.yaml` is this text, and a test keeps it so.
 */
export async function renderOpenApiYaml(): Promise<string> {
  const store = await createPGliteEventStore();
  const { app } = await buildGateway({ store, jwtSecret: 'x'.repeat(32) });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
    await store.close();
  }
}
