import { stopDiscoveredContainers } from './discovery';

export default async function globalTeardown(): Promise<void> {
  await stopDiscoveredContainers();
}
