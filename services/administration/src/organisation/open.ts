import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { compareLogPositions, type LogPosition } from '@lapor/event-store';
import { HttpProblem, type OpenedService, type WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { countOpenHeldBy, createHoldingsHandler, prepareHoldingsTable } from './holdings';
import { Successions } from './successions';

/** How long a deactivation waits for the holdings to pass every event committed before it. */
const CATCH_UP_WAIT_MS = 2_000;

export interface OpenedOrganisation extends OpenedService {
  /**
   * Open complaints a node holds, once the holdings have passed every event committed before the
   * question (a disposition a moment ago counts); 503 when they do not within CATCH_UP_WAIT_MS.
   */
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
  let position: LogPosition | undefined;
  const caughtUp = async (): Promise<boolean> => {
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    // what was committed before the question, not what the log lets a reader see yet: while any older
    // transaction in the cluster runs, a disposition just committed reads as "nothing after here"
    const head = await context.store.readLogHead();
    for (;;) {
      if (position !== undefined && compareLogPositions(position, head) >= 0) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    successions,
    async openComplaints(nodeId) {
      if (!(await caughtUp())) {
        throw new HttpProblem(
          503,
          'read-model-catching-up',
          'Still catching up',
          'The complaints this unit holds are still being counted; nothing was written. Ask again in a moment.',
        );
      }
      return countOpenHeldBy(db, nodeId);
    },
    start() {
      following ??= followEventLog(context.store, db, handler, {
        onPosition: (at) => (position = at),
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
