import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { DestinationPolicy } from './destinations';
import type { OpenedWebhooks } from './open';
import { webhookHttpRoutes } from './routes';

export interface WebhookOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** What `openWebhooks` returned: the subscriptions, and the dispatcher to wake. */
  readonly opened: Pick<OpenedWebhooks, 'subscriptions' | 'poke'>;
  /** Let subscribers register plain-http URLs on localhost (tests, a developer's machine). Default false. */
  readonly allowInsecureLocalhost?: boolean;
  /** Receivers' addresses allowed; default public ones only (LAPOR_WEBHOOK_ALLOW_NETWORKS widens it). */
  readonly destinations?: DestinationPolicy;
}

/**
 * Outbound webhooks for agency systems: subscriptions per instansi, their delivery logs, resume and
 * replay. Only routes: registering them touches no table (`openWebhooks` does), so the gateway
 * declares them with nothing opened for the API document and for forwarding.
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookOptions): Promise<void> {
  const { context, db, opened } = options;
  await app.register(webhookHttpRoutes, {
    context,
    db,
    subscriptions: opened.subscriptions,
    allowInsecureLocalhost: options.allowInsecureLocalhost ?? false,
    destinations: options.destinations ?? new DestinationPolicy(),
    poke: () => opened.poke(),
  });
}
