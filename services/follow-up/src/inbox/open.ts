import { followReadModel, prepareAppliedPositions, type FollowedReadModel } from '@lapor/consumer-kit';
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
}

/**
 * The staff inbox read model opened: its tables made, fed by the event log in this process once
 * started (embedded gateway and the follow-up service alone both read the shared database's log).
 */
export async function openInbox(context: WorkflowContext, db: SqlRunner, options: { log: FastifyBaseLogger }): Promise<OpenedInbox> {
  const { log } = options;
  await prepareAppliedPositions(db);
  const { reset } = await prepareInboxTables(db);
  if (reset) log.warn('inbox tables had another shape: dropped; they fill again from the event log (the inbox answers 503 until then)');
  const handler = createInboxProjection({ tree: () => context.directory.tree });
  const followed = followReadModel(context.store, db, handler, {
    readyWithinEvents: INBOX_READY_WITHIN_EVENTS,
    onError: (error) => log.error({ err: error }, 'inbox read model stopped on an event; it follows again from its applied positions'),
  });
  return { db, ...followed };
}
