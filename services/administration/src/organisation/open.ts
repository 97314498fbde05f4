import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { countOpenHeldBy, createHoldingsHandler, prepareHoldingsTable } from './holdings';
import { Successions } from './successions';

export interface OpenedOrganisation extends OpenedService {
  /** Open complaints a node holds, as the holdings read side has them. */
  openComplaints(nodeId: string): Promise<number>;
  readonly successions: Successions;
}

/**
 * The organisation's own read side opened: the holdings table made and followed from the event log
 * (in every mode: it reads the store's log directly, as a read side being rebuilt does), and the
 * successions that hand a restructured unit's open complaints to its successor.
 */
export async function openOrganisation(context: WorkflowContext, db: SqlRunner, options: { log: FastifyBaseLogger }): Promise<OpenedOrganisation> {
  const { log } = options;
  await prepareAppliedPositions(db);
  await prepareHoldingsTable(db);
  const successions = new Successions(context, db, log);
  const handler = context.directory.followedBy(
    createHoldingsHandler((nodeId) => {
      // a complaint reaching a unit merged away meanwhile goes on to its successor
      if (context.directory.tree.has(nodeId) && context.directory.tree.successorOf(nodeId) !== null) successions.kick();
    }),
  );
  let following: ReturnType<typeof followEventLog> | undefined;
  return {
    successions,
    openComplaints: (nodeId) => countOpenHeldBy(db, nodeId),
    start() {
      following ??= followEventLog(context.store, db, handler, {
        onError: (error) => log.error({ err: error }, 'organisation holdings stopped on an event; they resume from their applied positions'),
      });
      successions.start();
    },
    async close() {
      await successions.stop();
      await following?.close();
    },
  };
}
