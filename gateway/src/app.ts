import { dispositionRoutes } from '@lapor/disposition';
import { followUpRoutes } from '@lapor/follow-up';
import { buildServiceApp, StaffAccounts, type NewStaffAccount, type ServiceApp, type ServiceAppOptions } from '@lapor/http-kit';
import { intakeRoutes } from '@lapor/intake';
import { verificationRoutes } from '@lapor/verification';
import { apiKeyRoutes } from './api-key-routes';
import type { SqlRunner } from '@lapor/event-store';
import { statisticsRoutes } from '@lapor/statistics-service';
import { authRoutes } from './auth-routes';
import { PROXIED_STATISTICS, proxyServices, type ServiceUrls } from './proxy';

export interface GatewayOptions extends Omit<ServiceAppOptions, 'title' | 'tags'> {
  readonly seedAccounts?: readonly NewStaffAccount[];
  /** The database beside the store: with it, the statistics read model is kept and served here. */
  readonly db?: SqlRunner;
  /** Distributed mode: forward each service's routes to these URLs instead of mounting the services here. */
  readonly serviceUrls?: ServiceUrls;
}

const SERVICES = [
  { name: 'intake', plugin: intakeRoutes },
  { name: 'verification', plugin: verificationRoutes },
  { name: 'disposition', plugin: dispositionRoutes },
  { name: 'follow-up', plugin: followUpRoutes },
] as const;

export const GATEWAY_TAGS = [
  { name: 'intake', description: 'Complaints in, public tracking, the reporter’s own actions' },
  { name: 'verification', description: 'Verifikasi, Tunda, Arsipkan, answering aspirations' },
  { name: 'disposition', description: 'Disposisi down the tree, Bukan Wewenang up it' },
  { name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' },
  { name: 'statistics', description: 'Recap tables officials report' },
  { name: 'auth', description: 'Staff sign-in, API keys of integrating systems' },
];

/**
 * The public entry. Embedded mode: one process, every service plugin mounted side by side on one
 * store. Distributed mode (`serviceUrls`): the same routes, forwarded to each service running alone
 * (`services/<name>/src/main.ts`). Staff sign-in and API keys are the gateway's own either way.
 */
export async function buildGateway(options: GatewayOptions): Promise<ServiceApp> {
  const built = await buildServiceApp({ ...options, title: 'SP4N-LAPOR! complaint API', tags: GATEWAY_TAGS });
  const { accounts, seeded } = await StaffAccounts.open(options.store, options.seedAccounts ?? []);
  const { app, context } = built;
  await app.register(authRoutes, { accounts, store: options.store, now: built.context.now });
  await app.register(apiKeyRoutes, { context });
  if (options.serviceUrls) await proxyServices(app, SERVICES, options.serviceUrls);
  else for (const { plugin } of SERVICES) await app.register(plugin, { context });
  // Statistics: forwarded when LAPOR_SERVICE_URLS names a statistics service (fed by Kafka there).
  // Otherwise served here when a database is at hand, the projection following the event log in
  // this process: embedded mode, or distributed mode without a statistics service. Neither: not served.
  if (options.serviceUrls?.statistics) await proxyServices(app, [PROXIED_STATISTICS], options.serviceUrls);
  else if (options.db) await app.register(statisticsRoutes, { context, db: options.db });
  return { ...built, seeded: built.seeded || seeded };
}
