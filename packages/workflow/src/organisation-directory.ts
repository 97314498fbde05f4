import {
  buildOrganisationTree,
  foldOrganisation,
  initialOrganisationState,
  organisationDecider,
  parseOrganisationEvent,
  type OrganisationCommand,
  type OrganisationEvent,
  type OrganisationNode,
  type OrganisationState,
  type OrganisationTree,
  UnknownNodeError,
} from '@lapor/domain';
import { appendOrigin, WrongExpectedVersionError, type EventStore, type RecordedEvent } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { catchUpAlone, type CatchUpRead, type FollowedStream } from './followed-stream';
import type { EventContext } from './stored-events';
import { eventIdFor } from './uuid-v5';

/** The whole tree is one stream: see organisationDecider for why. */
export const ORGANISATION_STREAM = 'organisation';
const NODE_REGISTERED = 'OrganisationNodeRegistered';
const NATIONAL_ROOT: OrganisationNode = { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null };

/**
 * Administrators change the tree in whichever process takes their request; every other process
 * sees the change within this bound (the request edge catches up when its copy is older), and at
 * once when it is asked about a node id it does not know (a unit created a moment ago elsewhere, to
 * which a complaint is being disposed). A catch-up reads only the events after the last one seen:
 * usually none, one indexed query. (Staff accounts read on every token check instead: see StaffAccounts.session.)
 */
export const ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS = 2_000;

export interface OrganisationOutcome {
  readonly events: readonly OrganisationEvent[];
  /** The tree's version after the command: the client's next If-Match. */
  readonly version: bigint;
}

/**
 * The organisation tree, kept as events in a stream of its own so it lives in the same store as
 * the complaints and moves with it (embedded or server), followed by every process.
 */
export class OrganisationDirectory implements FollowedStream {
  private state: OrganisationState = initialOrganisationState();
  private current: OrganisationTree = buildOrganisationTree([NATIONAL_ROOT]);
  /** Version of the last organisation event folded in; -1n before the first. */
  private seenVersion = -1n;
  private caughtUpAt = Number.NEGATIVE_INFINITY;
  /** Every event folded so far, for the tree as it stood at a past moment (treeAt). */
  private readonly history: OrganisationEvent[] = [];
  /** One catch-up at a time: concurrent look-ups wait for the same read. */
  private catchingUp: Promise<void> | undefined;

  private constructor(
    private readonly store: EventStore,
    private readonly now: () => number,
  ) {}

  /** The tree as this process last read it (see fresh() and knowing() for one caught up). */
  get tree(): OrganisationTree {
    return this.current;
  }

  /** The decider's state: every node, active or not, with what the tree does not carry (an instansi's kind). */
  get organisation(): OrganisationState {
    return this.state;
  }

  /** The stream version the tree was built from. */
  get loadedVersion(): bigint {
    return this.seenVersion;
  }

  /**
   * The tree as it stood at `moment`: the changes that had taken effect by then (effectiveAt, not
   * when they were recorded: a decree typed in later still dates from its day), in the order they
   * were recorded. The first start's nodes have no date and stood from the beginning. A change that
   * names a node not yet standing at that moment waits with it.
   */
  treeAt(moment: Date): OrganisationTree {
    const limit = moment.getTime();
    const standing = new Set<string>();
    const kept = this.history.filter((event) => {
      if (event.type === 'OrganisationNodeRegistered') {
        standing.add(event.data.id);
        return true;
      }
      if (Date.parse(event.data.effectiveAt) > limit || !namedNodes(event).every((nodeId) => standing.has(nodeId))) return false;
      if (event.type === 'InstansiRegistered' || event.type === 'UnitAdded') standing.add(event.data.nodeId);
      return true;
    });
    return treeOf(foldOrganisation(initialOrganisationState(), kept));
  }

  /** Loads the tree; on an empty store, registers `seed` once (a concurrent starter loses the race harmlessly). */
  static async open(
    store: EventStore,
    seed: readonly OrganisationNode[],
    options: { now?: () => number } = {},
  ): Promise<{ directory: OrganisationDirectory; seeded: boolean }> {
    let seeded = false;
    if ((await store.readStream(ORGANISATION_STREAM, { maxCount: 1 })).length === 0 && seed.length > 0) {
      try {
        await store.appendToStream(
          ORGANISATION_STREAM,
          seed.map((node) => ({ id: randomUUID(), type: NODE_REGISTERED, data: node })),
          { expectedVersion: 'no_stream' },
        );
        seeded = true;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    const directory = new OrganisationDirectory(store, options.now ?? Date.now);
    await directory.catchUp();
    return { directory, seeded };
  }

  /** The tree, caught up first when this process's copy is older than the stated bound. */
  async fresh(): Promise<OrganisationTree> {
    if (this.now() - this.caughtUpAt >= ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS) await this.catchUp();
    return this.current;
  }

  /**
   * The tree, caught up at once when it does not know one of these ids (created elsewhere a moment
   * ago). Only for ids a signed-in caller or a stored event names: a made-up id costs one indexed read.
   */
  async knowing(nodeIds: readonly string[]): Promise<OrganisationTree> {
    const tree = await this.fresh();
    if (nodeIds.every((nodeId) => tree.has(nodeId))) return tree;
    await this.catchUp();
    return this.current;
  }

  /**
   * The tree as stored now: for a decision that must not act on a change it has not seen (a
   * disposition to a unit deactivated a moment ago elsewhere). One indexed read, usually of nothing.
   */
  async latest(): Promise<OrganisationTree> {
    await this.catchUp();
    return this.current;
  }

  /**
   * A read side (an event handler) that meets a node this process has not read yet (a unit created
   * elsewhere a moment ago, named by the event it is applying) fails that attempt as before, and
   * this process reads the tree again meanwhile, so the feed's retry finds the node. The read is not
   * awaited inside the handler: the handler runs in its read side's transaction, which on embedded
   * PGlite holds the one connection the read needs.
   */
  followedBy<Handler extends { readonly name: string; handle(...args: never[]): Promise<void>; handlePage?(...args: never[]): Promise<void> }>(
    handler: Handler,
  ): Handler {
    const noticing = async (work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        if (error instanceof UnknownNodeError) void this.catchUp().catch(() => undefined);
        throw error;
      }
    };
    const handle = (...args: Parameters<Handler['handle']>): Promise<void> => noticing(() => handler.handle(...args));
    const { handlePage } = handler;
    if (!handlePage) return { ...handler, handle };
    // a read side that writes a page at once meets the node in the page as it would in the event
    const page = (...args: Parameters<NonNullable<Handler['handlePage']>>): Promise<void> => noticing(() => handlePage.apply(handler, args));
    return { ...handler, handle, handlePage: page };
  }

  /**
   * Decides an administrator's command on the tree as stored and appends the outcome with the
   * version it was decided on. Throws DomainError when the rules refuse, WrongExpectedVersionError
   * when the tree is not at the client's version (If-Match) or changed meanwhile.
   */
  execute(command: OrganisationCommand, options: EventContext & { readonly expectedVersion?: bigint }): Promise<OrganisationOutcome> {
    return this.executeAll([command], options);
  }

  /**
   * Several commands as one change: each decided on the tree as the ones before it left it, all
   * appended at once or none (a first start registering its organisation, a later bulk onboarding).
   */
  async executeAll(commands: readonly OrganisationCommand[], options: EventContext & { readonly expectedVersion?: bigint }): Promise<OrganisationOutcome> {
    await this.catchUp();
    const decidedOn = this.seenVersion;
    if (options.expectedVersion !== undefined && options.expectedVersion !== decidedOn) {
      throw new WrongExpectedVersionError(ORGANISATION_STREAM, options.expectedVersion, decidedOn < 0n ? 'no_stream' : decidedOn);
    }
    const events: OrganisationEvent[] = [];
    let state = this.state;
    for (const command of commands) {
      const decided = organisationDecider.decide(command, state);
      state = foldOrganisation(state, decided);
      events.push(...decided);
    }
    const result = await this.store.appendToStream(
      ORGANISATION_STREAM,
      events.map((event, index) => ({
        id: eventIdFor(options.commandId, index),
        type: event.type,
        data: event.data,
        metadata: {
          schemaVersion: event.schemaVersion,
          commandId: options.commandId,
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          // where the administrator's request came from, for the audit trail
          ...appendOrigin(),
        },
      })),
      { expectedVersion: decidedOn < 0n ? 'no_stream' : decidedOn },
    );
    await this.catchUp();
    return { events, version: result.nextExpectedVersion };
  }

  private catchUp(): Promise<void> {
    this.catchingUp ??= catchUpAlone(this.store, this).finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  catchUpRead(): CatchUpRead {
    return { streamId: ORGANISATION_STREAM, fromVersion: this.seenVersion + 1n, askedAt: this.now() };
  }

  absorb(read: CatchUpRead, recorded: readonly RecordedEvent[]): void {
    const unseen = recorded.filter((event) => event.streamVersion > this.seenVersion);
    if (unseen.length > 0) {
      const events = unseen.map((event) =>
        parseOrganisationEvent({
          type: event.type,
          data: event.data,
          ...(typeof event.metadata.schemaVersion === 'number' ? { schemaVersion: event.metadata.schemaVersion } : {}),
        }),
      );
      this.state = foldOrganisation(this.state, events);
      this.history.push(...events);
      this.seenVersion = unseen.at(-1)!.streamVersion;
      this.current = treeOf(this.state);
    }
    this.caughtUpAt = Math.max(this.caughtUpAt, read.askedAt);
  }
}

function treeOf(state: OrganisationState): OrganisationTree {
  const nodes = [...state.nodes.values()];
  // A store nobody has set up yet still has the national level, so complaints can come in.
  if (nodes.length === 0) return buildOrganisationTree([NATIONAL_ROOT]);
  const inactive = new Set(nodes.filter((entry) => !entry.active).map((entry) => entry.node.id));
  const successors = new Map(nodes.flatMap((entry) => (entry.successor === null ? [] : [[entry.node.id, entry.successor.nodeId] as const])));
  return buildOrganisationTree(
    nodes.map((entry) => entry.node),
    { inactive, successors },
  );
}

/** The nodes an event needs standing before it (the one it creates aside). */
function namedNodes(event: Exclude<OrganisationEvent, { type: 'OrganisationNodeRegistered' }>): string[] {
  switch (event.type) {
    case 'InstansiRegistered':
    case 'UnitAdded':
      return [event.data.parentId];
    case 'NodeRenamed':
    case 'NodeDeactivated':
      return [event.data.nodeId];
    case 'NodeMoved':
      return [event.data.nodeId, event.data.parentId];
    case 'UnitsMerged':
      return [...event.data.nodeIds, event.data.successorId];
    case 'UnitSplit':
      return [event.data.nodeId, ...event.data.successorIds];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
