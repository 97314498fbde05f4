import { DomainError, type Actor, type HandOverToSuccessor } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import type { WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyBaseLogger } from 'fastify';
import { openHeldBy } from './holdings';

// A merge or split is one append to the organisation stream; the complaints the restructured units
// hold live in their own streams, one append each. So the hand-over is not done by the command but
// by this reconciliation: it compares the tree (which units have a successor) with the holdings read
// side (which open complaints they still hold) and hands each over with the complaint's own decider
// (ComplaintHandedOver, keeping status and clocks). It is level-triggered, so it needs no memory of
// what it did: run after a restructuring, when a complaint reaches a node merged away meanwhile (a
// disposition decided on an older tree), and every little while for whatever a crash interrupted.
// Running twice is harmless: the decider refuses a complaint no longer with the unit (NOT_HOLDER).

export const SUCCESSION_ACTOR: Actor = { role: 'system', id: 'organisation-successions', nodeId: null };
const SWEEP_EVERY_MS = 5_000;

export class Successions {
  private running: Promise<number> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: WorkflowContext,
    private readonly db: SqlQueryable,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Hands every open complaint of a restructured unit to its successor; answers how many moved. One round at a time: a call during one runs another after it. */
  reconcile(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reconcile().catch((error: unknown) => this.log.warn({ err: error }, 'succession round failed; the next sweep retries'));
      }
    });
    return this.running;
  }

  /** A reconciliation soon, without waiting for it. */
  kick(): void {
    setImmediate(() => void this.reconcile().catch((error: unknown) => this.log.warn({ err: error }, 'succession round failed; the next sweep retries')));
  }

  start(): void {
    this.timer ??= setInterval(() => this.kick(), SWEEP_EVERY_MS);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async round(): Promise<number> {
    const tree = await this.context.directory.latest();
    const restructured = this.context.directory.organisation;
    const gone = [...restructured.nodes.values()].filter((entry) => entry.successor !== null).map((entry) => entry.node.id);
    let moved = 0;
    for (const { complaintId, holderId } of await openHeldBy(this.db, gone)) {
      const successorId = tree.successorOf(holderId);
      const reason = restructured.nodes.get(holderId)?.successor?.reason;
      if (successorId === null || reason === undefined) continue;
      const command: HandOverToSuccessor = {
        type: 'HandOverToSuccessor',
        data: { complaintId, from: holderId, to: tree.nodeRef(successorId), toInstansiId: tree.instansiOf(successorId)?.id ?? 'nasional', reason },
        metadata: { now: this.context.now(), actor: SUCCESSION_ACTOR },
      };
      try {
        await this.context.repository.execute(command, { commandId: `succession:${complaintId}:${holderId}:${successorId}` });
        moved += 1;
      } catch (error) {
        // the complaint moved on, closed, or changed meanwhile: the read side will say so and the next round decides again
        if (!(error instanceof DomainError) && !(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return moved;
  }
}
