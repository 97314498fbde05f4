import { reportOutbox } from '@lapor/metrics';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import type { SmsConfig } from './config';
import { createSmsNotifier } from './notify/notifier';
import { OutboxDispatcher } from './outbox/dispatcher';
import { HttpSmsSender, type SmsSender } from './outbox/sender';
import { prepareSmsTables, SMS_SCHEMA } from './tables';

export interface OpenSmsOptions {
  readonly config: SmsConfig;
  /** 'event-log': the notifier follows the store in this process once started; 'external': a Kafka consumer feeds `notifier` (main.ts). */
  readonly feed: 'event-log' | 'external';
  /** Send from the outbox here once started; several copies may, each sends what it claims. */
  readonly dispatch: boolean;
  /** Default: the HTTP provider at `config.outbound`. */
  readonly sender?: SmsSender;
  /** The clock of signatures and the outbox. */
  readonly now: () => Date;
  readonly log: FastifyBaseLogger;
}

export type OpenedSms = Awaited<ReturnType<typeof openSms>>;

/**
 * The SMS 1708 channel opened: its tables made, the notifier that queues status notices (a
 * consumer-kit read side), and the dispatcher that sends what the outbox holds.
 */
export async function openSms(context: WorkflowContext, db: SqlRunner, options: OpenSmsOptions) {
  const { config, log, now } = options;
  await prepareAppliedPositions(db);
  await prepareSmsTables(db);
  if (config.providers.size === 0) log.warn('sms: LAPOR_SMS_PROVIDERS is empty: every inbound SMS is refused (401) until a provider is configured');
  const notifier = context.directory.followedBy(createSmsNotifier({ tree: () => context.directory.tree, now }));
  const sender = options.dispatch ? (options.sender ?? (config.outbound ? new HttpSmsSender(config.outbound) : undefined)) : undefined;
  if (options.dispatch && !sender) log.warn('sms: LAPOR_SMS_OUTBOUND_URL is not set: replies wait in the outbox until a provider is configured');
  const dispatcher = sender
    ? new OutboxDispatcher({ db, vault: context.vault, sender, maxParts: config.maxParts, retry: config.retry, leaseMs: config.leaseMs, now, log })
    : undefined;
  let following: ReturnType<typeof followEventLog> | undefined;
  let started = false;
  let stopReporting: (() => void) | undefined;
  const opened = {
    notifier,
    /** A reply was queued here: it goes out at once (a notice, or one queued by another copy, at the next poll). */
    kick: () => dispatcher?.kick(),
    start() {
      if (started) return;
      started = true;
      // depth and oldest age on /metrics, wherever the outbox is served
      stopReporting = reportOutbox(db, 'sms', `${SMS_SCHEMA}.outbox`, "status = 'pending'", 'created_at');
      if (options.feed === 'event-log') {
        following = followEventLog(context.store, db, notifier, {
          onError: (error) => log.error({ err: error }, 'sms notifier stopped on an event; it resumes from its applied positions'),
        });
      }
      dispatcher?.start(config.dispatchEveryMs);
    },
    async close() {
      stopReporting?.();
      await dispatcher?.stop();
      await following?.close();
    },
  } satisfies OpenedService & Record<string, unknown>;
  return opened;
}
