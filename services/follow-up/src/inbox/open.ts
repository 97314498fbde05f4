import { followReadModel, prepareAppliedPositions, type EventHandler, type FollowedReadModel } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { createInboxProjection } from './projection';
import { prepareInboxTables } from './tables';

/** Events the inbox may trail the log by and still count as ready: past it, /health/ready answers 503. */
export const INBOX_READY_WITHIN_EVENTS = 500;

/** `readiness()` says `inbox: 'ok'` once the read model is within INBOX_READY_WITHIN_EVENTS of the log's end. */
export interface OpenedInbox extends OpenedService, FollowedReadModel {
  /** Where the inbox tables are read. */
  readonly db: SqlRunner;
  /** The projection the tables are fed by, for a feed other than the event log (Kafka). */
  readonly handler: EventHandler;
}

/**
 * The staff inbox read model opened: its tables made, fed by the event log in this process once
 * started (the embedded gateway; the follow-up service alone without KAFKA_BROKERS), or, with
 * `feed: 'external'`, by whoever feeds `handler` (the follow-up service's Kafka consumer), whose own
 * readiness then stands for the inbox's.
 */
export async function openInbox(
  context: WorkflowContext,
  db: SqlRunner,
  options: { log: FastifyBaseLogger; feed?: 'event-log' | 'external' },
): Promise<OpenedInbox> {
  const { log } = options;
  const feed = options.feed ?? 'event-log';
  await prepareAppliedPositions(db);
  const { reset, upgradedFrom } = await prepareInboxTables(db);
  if (upgradedFrom !== undefined) log.warn({ upgradedFrom }, 'inbox tables upgraded in place to this version’s shape');
  if (reset) log.warn('inbox tables had another shape: dropped; they fill again from the event log (the inbox answers 503 until then)');
  const handler = context.directory.followedBy(createInboxProjection({ tree: () => context.directory.tree }));
  const followed = followReadModel(context.store, db, handler, {
    feed,
    readyWithinEvents: INBOX_READY_WITHIN_EVENTS,
    onError: (error) => log.error({ err: error }, 'inbox read model stopped on an event; it follows again from its applied positions'),
  });
  return { db, handler, ...followed };
}
