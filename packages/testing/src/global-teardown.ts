import { stopDiscoveredContainers } from './discovery';
import { PGLITE_TEMPLATE_VARIABLE, removePGliteTemplate } from './pglite-template';

export default async function globalTeardown(): Promise<void> {
  await removePGliteTemplate(process.env[PGLITE_TEMPLATE_VARIABLE]);
  await stopDiscoveredContainers();
}
