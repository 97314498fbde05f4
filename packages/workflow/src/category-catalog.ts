import {
  CATEGORY_STREAM,
  categoryDecider,
  evolveCategoryTaxonomy,
  initialCategoryTaxonomy,
  parseCategoryEvent,
  type CategoryCommand,
  type CategoryEvent,
  type CategoryTaxonomy,
} from '@lapor/domain';
import { appendOrigin, WrongExpectedVersionError, type EventStore, type RecordedEvent } from '@lapor/event-store';
import { catchUpAlone, type CatchUpRead, type FollowedStream } from './followed-stream';
import type { EventContext } from './stored-events';
import { eventIdFor } from './uuid-v5';

/**
 * The category taxonomy, kept as events in one stream beside the organisation's, followed by every
 * process: each read catches up first (one indexed query for the events after the last seen,
 * usually none), so a category added a moment ago elsewhere is known to the next verification.
 */
export class CategoryCatalog implements FollowedStream {
  private state: CategoryTaxonomy = initialCategoryTaxonomy();
  /** Version of the last taxonomy event folded in; -1n before the first. */
  private seenVersion = -1n;
  private catchingUp: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  /** The taxonomy as stored now, and the version it was built from (the routes' ETag). */
  async latest(): Promise<{ taxonomy: CategoryTaxonomy; version: bigint }> {
    await this.catchUp();
    return this.folded;
  }

  /** The taxonomy as last read: as stored now right after a catch-up read alongside another (see FollowedStream). */
  get folded(): { taxonomy: CategoryTaxonomy; version: bigint } {
    return { taxonomy: this.state, version: this.seenVersion };
  }

  catchUpRead(): CatchUpRead {
    return { streamId: CATEGORY_STREAM, fromVersion: this.seenVersion + 1n, askedAt: Date.now() };
  }

  absorb(_read: CatchUpRead, recorded: readonly RecordedEvent[]): void {
    const unseen = recorded.filter((event) => event.streamVersion > this.seenVersion);
    if (unseen.length === 0) return;
    const events = unseen.map((event) =>
      parseCategoryEvent({
        type: event.type,
        data: event.data,
        ...(typeof event.metadata.schemaVersion === 'number' ? { schemaVersion: event.metadata.schemaVersion } : {}),
      }),
    );
    this.state = events.reduce(evolveCategoryTaxonomy, this.state);
    this.seenVersion = unseen.at(-1)!.streamVersion;
  }

  /**
   * Several commands as one change, each decided on the taxonomy as the ones before it left it,
   * appended at once or none with the version they were decided on. Throws DomainError when the
   * rules refuse, WrongExpectedVersionError when the taxonomy is not at the client's version.
   */
  async executeAll(
    commands: readonly CategoryCommand[],
    options: EventContext & { readonly expectedVersion?: bigint },
  ): Promise<{ events: readonly CategoryEvent[]; version: bigint }> {
    await this.catchUp();
    const decidedOn = this.seenVersion;
    if (options.expectedVersion !== undefined && options.expectedVersion !== decidedOn) {
      throw new WrongExpectedVersionError(CATEGORY_STREAM, options.expectedVersion, decidedOn < 0n ? 'no_stream' : decidedOn);
    }
    const events: CategoryEvent[] = [];
    let state = this.state;
    for (const command of commands) {
      const decided = categoryDecider.decide(command, state);
      state = decided.reduce(evolveCategoryTaxonomy, state);
      events.push(...decided);
    }
    const result = await this.store.appendToStream(
      CATEGORY_STREAM,
      events.map((event, index) => ({
        id: eventIdFor(options.commandId, index),
        type: event.type,
        data: event.data,
        metadata: {
          schemaVersion: event.schemaVersion,
          commandId: options.commandId,
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
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
}
