import { followReadModel, prepareAppliedPositions, type FollowedReadModel } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { createPublicListProjection } from './projection';
import { preparePublicListTables } from './tables';

/** Events the public list may trail the log by and still count as ready: past it, /health/ready answers 503. */
export const PUBLIC_LIST_READY_WITHIN_EVENTS = 500;

/** `readiness()` says `'open311-list': 'ok'` once the read model is within PUBLIC_LIST_READY_WITHIN_EVENTS of the log's end. */
export interface OpenedPublicList extends OpenedService, FollowedReadModel {
  /** Where the list is read. */
  readonly db: SqlRunner;
}

/**
 * Open311's public list opened: its tables made, fed by the event log in this process once started
 * (the gateway serves Open311 in both modes, on the database the log is in).
 */
export async function openPublicList(context: WorkflowContext, db: SqlRunner, options: { log: FastifyBaseLogger }): Promise<OpenedPublicList> {
  const { log } = options;
  await prepareAppliedPositions(db);
  const { reset } = await preparePublicListTables(db);
  if (reset) log.warn('Open311 list tables had another shape: dropped; they fill again from the event log (readiness answers 503 until then)');
  const followed = followReadModel(context.store, db, createPublicListProjection(), {
    readyWithinEvents: PUBLIC_LIST_READY_WITHIN_EVENTS,
    onError: (error) => log.error({ err: error }, 'Open311 public list stopped on an event; it follows again from its applied positions'),
  });
  return { db, ...followed };
}
