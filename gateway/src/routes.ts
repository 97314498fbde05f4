import type { StaffAccounts } from '@lapor/accounts';
import { administrationRoutes, staffAdministrationRoutes, type OpenedOrganisation } from '@lapor/administration';
import { attachmentRoutes } from '@lapor/attachments-service';
import { dispositionRoutes } from '@lapor/disposition';
import { followUpRoutes } from '@lapor/follow-up';
import type { WorkflowContext } from '@lapor/http-kit';
import { intakeRoutes } from '@lapor/intake';
import { open311Routes } from '@lapor/open311';
import { schedulerRoutes, type SchedulerOptions } from '@lapor/scheduler';
import { smsRoutes, type SmsOptions } from '@lapor/sms';
import type { SqlRunner } from '@lapor/sql';
import { statisticsRoutes } from '@lapor/statistics-service';
import { verificationRoutes } from '@lapor/verification';
import { webhookRoutes, type ReceiverRules, type WebhookOptions } from '@lapor/webhooks';
import type { FastifyInstance } from 'fastify';
import { apiKeyRoutes } from './api-key-routes';
import { authRoutes } from './auth-routes';
import { dashboardRoute } from './dashboard-route';
import type { Forwarding } from './forwarding';
import type { SignInThrottle } from './sign-in-throttle';
import {
  PROXIED_ADMINISTRATION,
  PROXIED_ATTACHMENTS,
  PROXIED_FOLLOW_UP,
  PROXIED_STAFF_ADMINISTRATION,
  PROXIED_INTAKE,
  PROXIED_SCHEDULER,
  PROXIED_STATISTICS,
  proxiedWebhooks,
  proxyServices,
} from './proxy';

/** The workflow services as forwarded: each runs alone, with what it opens there (intake its systems’ list). */
const WORKFLOW_SERVICES = [PROXIED_INTAKE, { name: 'verification', plugin: verificationRoutes }, { name: 'disposition', plugin: dispositionRoutes }] as const;

/**
 * What the gateway's routes work with. A part given here is served here on what was opened for it;
 * a part not given is forwarded when `forwarding` names its service, and not served otherwise.
 */
export interface GatewayParts {
  readonly context: WorkflowContext;
  readonly accounts: StaffAccounts;
  /** Failed sign-ins, counted in the database. */
  readonly throttle: SignInThrottle;
  /** Distributed mode: where each service listens (and how forwarding to it fares). The workflow routes are forwarded then. */
  readonly forwarding?: Forwarding;
  /** The staff inbox's read model, where the workflow routes are served here. */
  readonly inbox?: { readonly db: SqlRunner };
  /** The integrating systems' list read model (intake's), where the workflow routes are served here. */
  readonly systemList?: { readonly db: SqlRunner };
  /** Open311's public list read model (Open311 is served here in both modes). */
  readonly open311: { readonly db: SqlRunner };
  readonly statistics?: { readonly db: SqlRunner };
  readonly organisation?: OpenedOrganisation;
  /** The audit trail's read model, where the administration is served here. */
  readonly audit?: { readonly db: SqlRunner };
  readonly scheduler?: Omit<SchedulerOptions, 'context'>;
  readonly webhooks?: Omit<WebhookOptions, 'context'>;
  /** Forwarded webhook routes check receivers' URLs by these, as the webhooks service does (default production's). */
  readonly webhookReceivers?: ReceiverRules;
  readonly sms?: Omit<SmsOptions, 'context'>;
}

/**
 * Every route the gateway answers, declared: registering touches no store and no table (each part
 * was opened before, or is a stand-in where only the routes are wanted), so the same declaration
 * serves a running gateway and the API document built with no database.
 */
export async function declareGatewayRoutes(app: FastifyInstance, parts: GatewayParts): Promise<void> {
  const { context, forwarding } = parts;
  await app.register(authRoutes, { accounts: parts.accounts, throttle: parts.throttle, store: context.store, now: context.now });
  await app.register(apiKeyRoutes, { context });
  if (forwarding) await proxyServices(app, [...WORKFLOW_SERVICES, PROXIED_FOLLOW_UP], forwarding);
  else {
    if (!parts.inbox || !parts.systemList) throw new Error('the workflow routes served here need the inbox and systems’ list read models opened');
    await app.register(intakeRoutes, { context, systemList: parts.systemList });
    await app.register(verificationRoutes, { context });
    await app.register(dispositionRoutes, { context });
    await app.register(followUpRoutes, { context, inbox: parts.inbox });
  }
  // Statistics, the scheduler and webhooks have a choice of their own: forwarded to their service
  // when LAPOR_SERVICE_URLS names it (fed by Kafka there), else served here when opened here.
  if (forwarding?.urls.statistics) await proxyServices(app, [PROXIED_STATISTICS], forwarding);
  else if (parts.statistics) await app.register(statisticsRoutes, { context, ...parts.statistics });
  if (forwarding?.urls.scheduler) await proxyServices(app, [PROXIED_SCHEDULER], forwarding);
  else if (parts.scheduler) await app.register(schedulerRoutes, { context, ...parts.scheduler });
  if (forwarding?.urls.webhooks) await proxyServices(app, [proxiedWebhooks(parts.webhookReceivers)], forwarding);
  else if (parts.webhooks) await app.register(webhookRoutes, { context, ...parts.webhooks });
  // The organisation's administration: forwarded to its service when LAPOR_SERVICE_URLS names it, else
  // served here (it needs nothing but the store, which every gateway has).
  if (forwarding?.urls.administration) await proxyServices(app, [PROXIED_ADMINISTRATION, PROXIED_STAFF_ADMINISTRATION], forwarding);
  else {
    if (!parts.audit) throw new Error('the administration served here needs the audit trail opened');
    await app.register(administrationRoutes, { context, ...(parts.organisation ? { opened: parts.organisation } : {}) });
    await app.register(staffAdministrationRoutes, { context, audit: parts.audit });
  }
  // Downloads of attached files: forwarded to the attachments service when LAPOR_SERVICE_URLS names
  // it, else served here (the store sits beside the events in every process's database).
  if (forwarding?.urls.attachments) await proxyServices(app, [PROXIED_ATTACHMENTS], forwarding);
  else await app.register(attachmentRoutes, { context });
  // SMS 1708 is never forwarded: run alone, the provider posts to the SMS service directly (its
  // signature covers the raw bytes, which a forwarding proxy would not keep).
  if (parts.sms) await app.register(smsRoutes, { context, ...parts.sms });
  // Open311 is a facade over intake and public tracking with one read model of its own (the public
  // list): served by the gateway in both modes. Not forwarded: its errors are Open311's own shape, not problem+json.
  await app.register(open311Routes, { context, publicList: parts.open311 });
  // the internal dashboard's static files, in both modes (it calls this same API)
  await dashboardRoute(app);
}
