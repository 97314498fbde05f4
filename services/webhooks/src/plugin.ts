import { followEventLog, prepareAppliedPositions, type EventHandler } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';
import type { WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher';
import { createWebhookEnqueuer } from './enqueuer';
import type { DeliveryPolicy } from './policy';
import { webhookHttpRoutes } from './routes';
import { Subscriptions } from './subscriptions';
import { prepareWebhookTables } from './tables';

export interface WebhookOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /** 'event-log': the outbox is fed from the store in this process; 'external': a Kafka consumer feeds it (main.ts). */
  readonly feed?: 'event-log' | 'external';
  /** Post the outbox from here (default true); any number of instances may, each posts what it claims. */
  readonly dispatch?: boolean;
  /** The longest pause between looks at the outbox when nothing announced work (default 1000). */
  readonly dispatchEveryMs?: number;
  readonly policy?: Partial<DeliveryPolicy>;
  /** Let subscribers register plain-http URLs on localhost (tests, a developer's machine). Default false. */
  readonly allowInsecureLocalhost?: boolean;
  /** Tuning of the dispatcher (batch, concurrency, lanes) and, for tests, its fetch and randomness. */
  readonly dispatcher?: Pick<DispatcherOptions, 'batchSize' | 'concurrency' | 'lanes' | 'fetch' | 'random'>;
}

/** The parts of the webhooks service, for whoever runs it: the routes' plugin, or main.ts with Kafka. */
export async function openWebhooks(context: WorkflowContext, db: SqlRunner): Promise<{ enqueuer: EventHandler; subscriptions: Subscriptions }> {
  await prepareAppliedPositions(db);
  await prepareWebhookTables(db);
  return { enqueuer: createWebhookEnqueuer({ tree: () => context.directory.tree }), subscriptions: new Subscriptions(db) };
}

/**
 * Outbound webhooks for agency systems: subscriptions per instansi, an outbox filled from the
 * complaint events (minus personal data) and posted, signed, in order, with retries; receivers
 * that keep failing are paused until resumed; any stretch of the log can be replayed.
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookOptions): Promise<void> {
  const { context, db } = options;
  const { enqueuer, subscriptions } = await openWebhooks(context, db);
  if ((options.feed ?? 'event-log') === 'event-log') {
    const following = followEventLog(context.store, db, enqueuer, {
      onError: (error) => app.log.error({ err: error }, 'webhook outbox stopped on an event; it resumes from its applied positions'),
    });
    app.addHook('onClose', () => following.close());
  }
  let dispatcher: WebhookDispatcher | undefined;
  if (options.dispatch ?? true) {
    dispatcher = new WebhookDispatcher({
      ...options.dispatcher,
      db,
      now: () => new Date(context.now()),
      ...(options.policy ? { policy: options.policy } : {}),
      log: app.log,
    });
    const started = dispatcher;
    // once listening: a dispatcher started by a plugin that then fails to register would run on
    app.addHook('onReady', async () => started.start(options.dispatchEveryMs));
    app.addHook('onClose', () => started.stop());
  }
  await app.register(webhookHttpRoutes, {
    context,
    db,
    subscriptions,
    allowInsecureLocalhost: options.allowInsecureLocalhost ?? false,
    poke: () => dispatcher?.poke(),
  });
}
