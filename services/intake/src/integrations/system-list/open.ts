import { followReadModel, prepareAppliedPositions, type FollowedReadModel } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { createSystemListProjection } from './projection';
import { prepareSystemListTables } from './tables';

/** Events the systems' list may trail the log by and still count as ready: past it, /health/ready answers 503. */
export const SYSTEM_LIST_READY_WITHIN_EVENTS = 500;

/** `readiness()` says `'integrations-list': 'ok'` once the read model is within SYSTEM_LIST_READY_WITHIN_EVENTS of the log's end. */
export interface OpenedSystemList extends OpenedService, FollowedReadModel {
  /** Where the list is read. */
  readonly db: SqlRunner;
}

/**
 * The integrating systems' list of what they sent, opened: its tables made, fed by the event log in
 * this process once started (intake alone, or the embedded gateway), on the database the log is in.
 */
export async function openSystemList(context: WorkflowContext, db: SqlRunner, options: { log: FastifyBaseLogger }): Promise<OpenedSystemList> {
  const { log } = options;
  await prepareAppliedPositions(db);
  const { reset } = await prepareSystemListTables(db);
  if (reset) log.warn('integrations list tables had another shape: dropped; they fill again from the event log (readiness answers 503 until then)');
  const followed = followReadModel(context.store, db, createSystemListProjection(), {
    readyWithinEvents: SYSTEM_LIST_READY_WITHIN_EVENTS,
    onError: (error) => log.error({ err: error }, 'integrations list stopped on an event; it follows again from its applied positions'),
  });
  return { db, ...followed };
}
