import { reportOutbox } from '@lapor/metrics';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher';
import { createWebhookEnqueuer } from './enqueuer';
import type { DeliveryPolicy } from './policy';
import { Subscriptions } from './subscriptions';
import { prepareWebhookTables, WEBHOOKS_SCHEMA } from './tables';

export interface OpenWebhooksOptions {
  /** 'event-log': the outbox is fed from the store in this process once started; 'external': a Kafka consumer feeds `enqueuer` (main.ts). */
  readonly feed: 'event-log' | 'external';
  /** Post the outbox from here once started; any number of instances may, each posts what it claims. */
  readonly dispatch: boolean;
  /** The longest pause between looks at the outbox when nothing announced work (default 1000). */
  readonly dispatchEveryMs?: number;
  readonly policy?: Partial<DeliveryPolicy>;
  /** Tuning of the dispatcher (batch, concurrency, lanes), where it may connect, and, for tests, its fetch and randomness. */
  readonly dispatcher?: Pick<DispatcherOptions, 'batchSize' | 'concurrency' | 'lanes' | 'destinations' | 'fetch' | 'random'>;
  readonly log: FastifyBaseLogger;
}

export type OpenedWebhooks = Awaited<ReturnType<typeof openWebhooks>>;

/**
 * Outbound webhooks opened: their tables made, the enqueuer that fills the outbox from complaint
 * events (minus personal data), the subscriptions, and the dispatcher that posts the outbox,
 * signed, in order, with retries.
 */
export async function openWebhooks(context: WorkflowContext, db: SqlRunner, options: OpenWebhooksOptions) {
  const { log } = options;
  await prepareAppliedPositions(db);
  await prepareWebhookTables(db);
  const enqueuer = context.directory.followedBy(createWebhookEnqueuer({ tree: () => context.directory.tree }));
  const dispatcher = options.dispatch
    ? new WebhookDispatcher({
        ...options.dispatcher,
        db,
        now: () => new Date(context.now()),
        ...(options.policy ? { policy: options.policy } : {}),
        log,
      })
    : undefined;
  let following: ReturnType<typeof followEventLog> | undefined;
  let started = false;
  let stopReporting: (() => void) | undefined;
  const opened = {
    enqueuer,
    subscriptions: new Subscriptions(db),
    /** Deliveries became due here (a resume, a replay): the dispatcher in this process goes at once. */
    poke: () => dispatcher?.poke(),
    start() {
      if (started) return;
      started = true;
      // depth and oldest age on /metrics, wherever the outbox is served
      stopReporting = reportOutbox(db, 'webhooks', `${WEBHOOKS_SCHEMA}.deliveries`, "status = 'pending'", 'created_at');
      if (options.feed === 'event-log') {
        following = followEventLog(context.store, db, enqueuer, {
          onError: (error) => log.error({ err: error }, 'webhook outbox stopped on an event; it resumes from its applied positions'),
        });
      }
      dispatcher?.start(options.dispatchEveryMs);
    },
    async close() {
      stopReporting?.();
      await dispatcher?.stop();
      await following?.close();
    },
  } satisfies OpenedService & Record<string, unknown>;
  return opened;
}
