import { dispositionRoutes } from '@lapor/disposition';
import { followUpRoutes } from '@lapor/follow-up';
import { buildServiceApp, type ServiceApp, type ServiceAppOptions } from '@lapor/http-kit';
import { StaffAccounts, type NewStaffAccount } from '@lapor/accounts';
import { intakeRoutes } from '@lapor/intake';
import { verificationRoutes } from '@lapor/verification';
import { apiKeyRoutes } from './api-key-routes';
import type { SqlRunner } from '@lapor/sql';
import { statisticsRoutes } from '@lapor/statistics-service';
// by path: @lapor/scheduler is not a dependency of the gateway yet (gateway/package.json)
import { open311Routes } from '@lapor/open311';
import { schedulerRoutes } from '@lapor/scheduler';
import { smsRoutes, type SmsConfig } from '@lapor/sms';
import { webhookRoutes } from '@lapor/webhooks';
import { authRoutes } from './auth-routes';
import { PROXIED_SCHEDULER, PROXIED_STATISTICS, PROXIED_WEBHOOKS, proxyServices, type ServiceUrls } from './proxy';

export interface GatewayOptions extends Omit<ServiceAppOptions, 'title' | 'tags'> {
  readonly seedAccounts?: readonly NewStaffAccount[];
  /** The database beside the store: with it, the statistics read model and the SLA timers are kept and served here. */
  readonly db?: SqlRunner;
  /**
   * Fire the SLA timers here when the scheduler is mounted (it always plans them). Off unless asked
   * for, so a test that freezes or moves the clock sees no timer fire behind its back;
   * gateway/src/main.ts turns it on.
   */
  readonly runScheduler?: boolean;
  /** `db` is embedded PGlite, one connection for everything: the scheduler's sweeper must know (see SchedulerOptions). */
  readonly singleConnection?: boolean;
  /** Send webhook deliveries from this process (where webhooks are not a service of their own). */
  readonly runWebhooks?: boolean;
  /** Let webhooks go to http://localhost receivers (development and tests only). */
  readonly allowInsecureWebhooks?: boolean;
  /** SMS 1708 served here (embedded mode): providers, keywords, the outbound provider. */
  readonly sms?: SmsConfig;
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
  { name: 'scheduler', description: 'SLA deadlines: the policy, the holiday calendar, a complaint’s timers' },
  { name: 'auth', description: 'Staff sign-in, API keys of integrating systems' },
  { name: 'open311', description: 'Open311 GeoReport v2 for civic-reporting apps (JSON)' },
  { name: 'sms', description: 'SMS 1708: the provider’s webhook, replies and status notices by SMS' },
  { name: 'webhooks', description: 'Agency systems told of their complaints’ events, signed, retried, replayable' },
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
  // The scheduler likewise: forwarded to a scheduler service (fed by Kafka, sweeping there), or
  // mounted here on the database, its planner following the event log; it sweeps only when asked.
  if (options.serviceUrls?.scheduler) await proxyServices(app, [PROXIED_SCHEDULER], options.serviceUrls);
  else if (options.db) {
    await app.register(schedulerRoutes, { context, db: options.db, sweep: options.runScheduler ?? false, singleConnection: options.singleConnection ?? false });
  }
  // Outbound webhooks: forwarded to the webhook service (fed by Kafka, dispatching there), or kept
  // here on the database, fed by the event log; deliveries go out only when asked (main.ts does).
  if (options.serviceUrls?.webhooks) await proxyServices(app, [PROXIED_WEBHOOKS], options.serviceUrls);
  else if (options.db) {
    await app.register(webhookRoutes, {
      context,
      db: options.db,
      feed: 'event-log',
      dispatch: options.runWebhooks ?? false,
      allowInsecureLocalhost: options.allowInsecureWebhooks ?? false,
    });
  }
  // SMS 1708, where it is not a service of its own: the provider posts to the gateway, whose process
  // also sends the replies. Run alone (LAPOR_SERVICE_URLS names sms), the provider posts to the SMS
  // service directly: its signature covers the raw bytes, which a forwarding proxy would not keep.
  if (!options.serviceUrls?.sms && options.db && options.sms) {
    await app.register(smsRoutes, { context, db: options.db, config: options.sms, dispatch: options.sms.outbound !== null });
  }
  // Open311 is a facade over intake and public tracking that keeps nothing of its own: served by
  // the gateway in both modes. Not forwarded: its errors are Open311's own shape, not problem+json.
  await app.register(open311Routes, { context });
  return { ...built, seeded: built.seeded || seeded };
}
