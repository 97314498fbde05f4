import { openEmbeddedStores, openServerStores, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase } from '@lapor/testing';
import { randomBytes } from 'node:crypto';

/** In-memory PGlite with a throwaway master key. */
export const embeddedStores = (): Promise<Stores> => openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });

/** A fresh database on the test PostgreSQL server; closing drops it. */
export async function serverStores(label: string, key = masterKey(randomBytes(32))): Promise<Stores & { readonly databaseName: string; readonly url: string }> {
  const database = await createTestDatabase(label);
  // the key folder the spawned services are given too (support/processes.ts), when a test spawns any
  const stores = await openServerStores({ connectionString: database.url, keyDir: process.env.LAPOR_KEY_DIR, masterKey: key });
  return {
    ...stores,
    databaseName: database.name,
    url: database.url,
    async close() {
      await stores.close();
      await database.drop();
    },
  };
}
