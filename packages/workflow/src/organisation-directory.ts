import { buildOrganisationTree, OrganisationNode, type OrganisationTree } from '@lapor/domain';
import { WrongExpectedVersionError, type EventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';

export const ORGANISATION_STREAM = 'organisation';
const NODE_REGISTERED = 'OrganisationNodeRegistered';
const NATIONAL_ROOT: OrganisationNode = { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null };

/**
 * The organisation tree, kept as events in a stream of its own so it lives in the same store as
 * the complaints and moves with it (embedded or server).
 */
export class OrganisationDirectory {
  private constructor(
    private current: OrganisationTree,
    private version: bigint,
  ) {}

  get tree(): OrganisationTree {
    return this.current;
  }

  /** Loads the tree; on an empty store, registers `seed` once (a concurrent starter loses the race harmlessly). */
  static async open(store: EventStore, seed: readonly OrganisationNode[]): Promise<{ directory: OrganisationDirectory; seeded: boolean }> {
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
    const events = await store.readStream(ORGANISATION_STREAM);
    const registered = events.filter((event) => event.type === NODE_REGISTERED).map((event) => OrganisationNode.parse(event.data));
    // A store nobody has set up yet still has the national level, so complaints can come in.
    const nodes = registered.length > 0 ? registered : [NATIONAL_ROOT];
    const version = events.at(-1)?.streamVersion ?? -1n;
    return { directory: new OrganisationDirectory(buildOrganisationTree(nodes), version), seeded };
  }

  /** The stream version the tree was built from (a later admin API appends with it). */
  get loadedVersion(): bigint {
    return this.version;
  }
}
