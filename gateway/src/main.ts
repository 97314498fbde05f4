import { createPGliteEventStore } from '@lapor/event-store';
import closeWithGrace from 'close-with-grace';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildGateway } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  // PGlite creates its own folder, not the ones above it
  await mkdir(dirname(config.dataDir), { recursive: true });
  const store = await createPGliteEventStore({ dataDir: config.dataDir });
  const app = await buildGateway({
    store,
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
  });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    await app.close();
    await store.close();
  });
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`embedded event store in ${config.dataDir}; API document at /openapi.json, Swagger UI at /docs`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
