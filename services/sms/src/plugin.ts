import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { SmsConfig } from './config';
import { inboundRoutes } from './inbound/routes';
import type { OpenedSms } from './open';
import { outboxRoutes } from './outbox/routes';

export interface SmsOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** The providers that may post and their signatures, the keywords. */
  readonly config: SmsConfig;
  /** What `openSms` returned: the dispatcher to wake when a reply is queued. */
  readonly opened: Pick<OpenedSms, 'kick'>;
  /** The clock of signatures and the outbox (default: the wall clock). */
  readonly now?: () => Date;
}

/**
 * The SMS 1708 channel's routes: the provider's signed webhook, the grammar citizens write in, and
 * the outbox summary for its operators. Only routes: registering them touches no table (`openSms`
 * does), so the gateway declares them with nothing opened for the API document.
 */
export async function smsRoutes(app: FastifyInstance, options: SmsOptions): Promise<void> {
  const { context, db, config, opened } = options;
  const now = options.now ?? (() => new Date());
  await app.register(inboundRoutes, { context, db, config, now, onQueued: () => opened.kick() });
  await app.register(outboxRoutes, { db });
}
