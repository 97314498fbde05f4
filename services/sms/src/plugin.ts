import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { smsConfigFromEnv, type SmsConfig } from './config';
import { inboundRoutes } from './inbound/routes';
import { createSmsNotifier } from './notify/notifier';
import { OutboxDispatcher } from './outbox/dispatcher';
import { outboxRoutes } from './outbox/routes';
import { HttpSmsSender, type SmsSender } from './outbox/sender';
import { prepareSmsTables } from './tables';

export interface SmsOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** 'event-log': the notifier follows the store in this process; 'external': a Kafka consumer feeds it (main.ts). */
  readonly feed?: 'event-log' | 'external';
  /** Send from the outbox here (default true); several copies may, each sends what it claims. */
  readonly dispatch?: boolean;
  /** Default: from the environment (`smsConfigFromEnv`). */
  readonly config?: SmsConfig;
  /** Default: the HTTP provider at `config.outbound`. */
  readonly sender?: SmsSender;
  /** The clock of signatures and the outbox (default: the wall clock). */
  readonly now?: () => Date;
}

/**
 * The SMS 1708 channel: the provider's signed webhook, the grammar citizens write in, replies and
 * status notices through a durable outbox. The notifier is a consumer-kit read side, fed from the
 * event log here or from Kafka by main.ts; the dispatcher sends what the outbox holds.
 */
export async function smsRoutes(app: FastifyInstance, options: SmsOptions): Promise<void> {
  const { context, db } = options;
  const config = options.config ?? smsConfigFromEnv();
  const now = options.now ?? (() => new Date());
  await prepareAppliedPositions(db);
  await prepareSmsTables(db);
  if (config.providers.size === 0) app.log.warn('sms: LAPOR_SMS_PROVIDERS is empty: every inbound SMS is refused (401) until a provider is configured');

  if ((options.feed ?? 'event-log') === 'event-log') {
    const following = followEventLog(context.store, db, createSmsNotifier({ tree: () => context.directory.tree, now }), {
      onError: (error) => app.log.error({ err: error }, 'sms notifier stopped on an event; it resumes from its applied positions'),
    });
    app.addHook('onClose', () => following.close());
  }

  let dispatcher: OutboxDispatcher | undefined;
  if (options.dispatch ?? true) {
    const sender = options.sender ?? (config.outbound ? new HttpSmsSender(config.outbound) : undefined);
    if (!sender) {
      app.log.warn('sms: LAPOR_SMS_OUTBOUND_URL is not set: replies wait in the outbox until a provider is configured');
    } else {
      dispatcher = new OutboxDispatcher({
        db,
        vault: context.vault,
        sender,
        maxParts: config.maxParts,
        retry: config.retry,
        leaseMs: config.leaseMs,
        now,
        log: app.log,
      });
      // started once the app is ready, so a test or the gateway that never listens sends nothing early
      const started = dispatcher;
      app.addHook('onReady', async () => started.start(config.dispatchEveryMs));
      app.addHook('onClose', () => started.stop());
    }
  }

  // a reply queued here goes out at once; a notice, or one queued by another copy, at the next poll
  await app.register(inboundRoutes, { context, db, config, now, onQueued: () => dispatcher?.kick() });
  await app.register(outboxRoutes, { db });
}
