import { StaffAccounts, type NewStaffAccount } from '@lapor/accounts';
import { ACCOUNTS_TAG, openAuditTrail, openOrganisation, type OpenedAuditTrail } from '@lapor/administration';
import { orphanSweepService, type OrphanSweepOptions } from '@lapor/attachments-service';
import { openInbox, type OpenedInbox } from '@lapor/follow-up';
import { openSystemList, type OpenedSystemList } from '@lapor/intake';
import { openPublicList, type OpenedPublicList } from '@lapor/open311';
import { buildServiceApp, CallerVouching, runWithApp, type ServiceApp, type ServiceAppOptions } from '@lapor/http-kit';
import { openScheduler } from '@lapor/scheduler';
import { openSms, type SmsConfig } from '@lapor/sms';
import { openStatistics } from '@lapor/statistics-service';
import { openWebhooks, receiverRouteOptions, type ReceiverRules } from '@lapor/webhooks';
import { Forwarding, type ForwardingConfig } from './forwarding';
import type { ServiceUrls } from './proxy';
import { declareGatewayRoutes, type GatewayParts } from './routes';
import { SignInThrottle } from './sign-in-throttle';

export interface GatewayOptions extends Omit<ServiceAppOptions, 'title' | 'tags'> {
  readonly seedAccounts?: readonly NewStaffAccount[];
  /**
   * Fire the SLA timers here when the scheduler is mounted (it always plans them). Off unless asked
   * for, so a test that freezes or moves the clock sees no timer fire behind its back;
   * gateway/src/main.ts turns it on.
   */
  readonly runScheduler?: boolean;
  /** `db` is embedded PGlite, one connection for everything: the scheduler's sweeper must know (see SchedulerOptions). */
  readonly singleConnection?: boolean;
  /** Sweep orphaned uploads here (where attachments are not a service of their own); main.ts sets it. */
  readonly orphanSweep?: OrphanSweepOptions;
  /** Send webhook deliveries from this process (where webhooks are not a service of their own). */
  readonly runWebhooks?: boolean;
  /**
   * Which receivers' URLs webhook subscriptions may name, served here or forwarded (config.ts reads
   * it from the environment); default production's: https, public addresses only.
   */
  readonly webhookReceivers?: ReceiverRules;
  /** SMS 1708 served here (embedded mode): providers, keywords, the outbound provider. */
  readonly sms?: SmsConfig;
  /** Distributed mode: forward each service's routes to these URLs instead of mounting the services here. */
  readonly serviceUrls?: ServiceUrls;
  /** Distributed mode: timeouts and circuit breaking of forwarded calls (DEFAULT_FORWARDING unless given). */
  readonly forwarding?: ForwardingConfig;
}

export const GATEWAY_TITLE = 'SP4N-LAPOR! complaint API';

export const GATEWAY_TAGS = [
  { name: 'intake', description: 'Complaints in, public tracking, the reporter’s own actions' },
  { name: 'verification', description: 'Verifikasi, Tunda, Arsipkan, answering aspirations' },
  { name: 'disposition', description: 'Disposisi down the tree, Bukan Wewenang up it' },
  { name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' },
  { name: 'statistics', description: 'Recap tables officials report' },
  { name: 'scheduler', description: 'SLA deadlines: the policy, the holiday calendar, a complaint’s timers' },
  { name: 'administration', description: 'The organisation tree: instansi, units and sub-units, restructured with an effective date' },
  ACCOUNTS_TAG,
  { name: 'auth', description: 'Staff sign-in and sign-out, own password, API keys of integrating systems' },
  { name: 'open311', description: 'Open311 GeoReport v2 for civic-reporting apps (JSON)' },
  { name: 'sms', description: 'SMS 1708: the provider’s webhook, replies and status notices by SMS' },
  { name: 'webhooks', description: 'Agency systems told of their complaints’ events, signed, retried, replayable' },
  { name: 'attachments', description: 'Files attached to complaints: downloads for those who may see them' },
];

/**
 * The public entry. Embedded mode: one process, every service mounted side by side on one store.
 * Distributed mode (`serviceUrls`): the same routes, forwarded to each service running alone
 * (`services/<name>/src/main.ts`). Staff sign-in and API keys are the gateway's own either way.
 *
 * The order it starts in: the store and the workflow context, the staff accounts, then each part
 * served here opens its tables (its loops start once the app is ready), then the routes are declared.
 */
export async function buildGateway(options: GatewayOptions): Promise<ServiceApp> {
  const urls = options.serviceUrls;
  const forwarding = urls ? new Forwarding(urls, options.forwarding, new CallerVouching(options.jwtSecret)) : undefined;
  // ready means whole: in distributed mode, every service forwarded to answers ready too; each read
  // model served here (the staff inbox, the systems' list, Open311's public list) is within its bound of the log
  const served: { inbox?: OpenedInbox; systemList?: OpenedSystemList; publicList?: OpenedPublicList; audit?: OpenedAuditTrail } = {};
  const readiness = async () => ({
    ...(forwarding ? await forwarding.readiness() : {}),
    ...(served.inbox ? await served.inbox.readiness() : {}),
    ...(served.systemList ? await served.systemList.readiness() : {}),
    ...(served.publicList ? await served.publicList.readiness() : {}),
    ...(served.audit ? await served.audit.readiness() : {}),
  });
  const built = await buildServiceApp({ ...options, readiness, title: GATEWAY_TITLE, tags: GATEWAY_TAGS });
  const { app, context } = built;
  // seeds a store without accounts; sign-in then uses the accounts the door checks tokens against (one follower per process)
  const { seeded } = await StaffAccounts.open(options.store, options.seedAccounts ?? []);
  const accounts = context.staffAccounts;
  const { db } = options;
  // failed sign-ins are counted in the database, so every gateway on it counts the same ones
  const throttle = await SignInThrottle.open(db, { secret: options.jwtSecret });
  const log = app.log;
  // Open311's public list: Open311 is served here in both modes, so its read model follows the log here
  served.publicList = await openPublicList(context, db, { log });
  runWithApp(app, served.publicList);
  const parts: { -readonly [Part in keyof GatewayParts]: GatewayParts[Part] } = {
    context,
    accounts,
    throttle,
    open311: served.publicList,
    ...(forwarding ? { forwarding } : {}),
    ...(options.webhookReceivers ? { webhookReceivers: options.webhookReceivers } : {}),
  };
  // Statistics, the scheduler and webhooks: served here, on the database, fed by the event log in
  // this process, unless forwarded to a service of their own (fed by Kafka there). No database and
  // no service: not served.
  // the staff inbox's and the systems' list's read models, where the workflow routes are served here
  if (!forwarding) {
    served.inbox = await openInbox(context, db, { log });
    runWithApp(app, served.inbox);
    parts.inbox = served.inbox;
    served.systemList = await openSystemList(context, db, { log });
    runWithApp(app, served.systemList);
    parts.systemList = served.systemList;
  }
  // the organisation's holdings (deactivation checks, successions after a merge), where the administration is served here
  if (db && !urls?.administration) {
    parts.organisation = await openOrganisation(context, db, { log });
    runWithApp(app, parts.organisation);
  }
  // the audit trail, where the administration is served here (else the administration service follows it)
  if (!urls?.administration) {
    served.audit = await openAuditTrail(context.store, db, { log });
    runWithApp(app, served.audit);
    parts.audit = served.audit;
  }
  if (db && !urls?.statistics) {
    const opened = await openStatistics(context, db, { feed: 'event-log', log });
    runWithApp(app, opened);
    parts.statistics = { db };
  }
  if (db && !urls?.scheduler) {
    // it always plans; it sweeps only when asked (main.ts does)
    const opened = await openScheduler(context, db, {
      feed: 'event-log',
      sweep: options.runScheduler ?? false,
      singleConnection: options.singleConnection ?? false,
      log,
    });
    runWithApp(app, opened);
    parts.scheduler = { db, opened };
  }
  if (db && !urls?.webhooks) {
    // deliveries go out only when asked (main.ts does)
    const receivers = receiverRouteOptions(options.webhookReceivers);
    const opened = await openWebhooks(context, db, {
      feed: 'event-log',
      dispatch: options.runWebhooks ?? false,
      dispatcher: { destinations: receivers.destinations },
      log,
    });
    runWithApp(app, opened);
    parts.webhooks = { db, opened, ...receivers };
  }
  // SMS 1708, where it is not a service of its own: the provider posts to the gateway, whose process
  // also sends the replies.
  if (db && options.sms && !urls?.sms) {
    const now = () => new Date();
    const opened = await openSms(context, db, { config: options.sms, feed: 'event-log', dispatch: options.sms.outbound !== null, now, log });
    runWithApp(app, opened);
    parts.sms = { db, opened, config: options.sms, now };
  }
  if (options.orphanSweep && !urls?.attachments) runWithApp(app, orphanSweepService(context, options.orphanSweep));
  await declareGatewayRoutes(app, parts);
  return { ...built, seeded: built.seeded || seeded };
}
