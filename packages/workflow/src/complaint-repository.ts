import { complaintDecider, complaintStream, type ComplaintCommand, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import { WrongExpectedVersionError, type EventStore, type RecordedEvent, type StreamAppend } from '@lapor/event-store';
import type { FollowedStream } from './followed-stream';
import { fromStoredEvent, toStoredEvents, type EventContext } from './stored-events';

export interface LoadedComplaint {
  readonly state: ComplaintState;
  /** The stream's version (its last event's), or undefined when nothing was submitted. */
  readonly version: bigint | undefined;
  readonly events: readonly (ComplaintEvent & { readonly recordedAt: Date; readonly position: bigint })[];
}

export interface CommandOutcome {
  readonly events: readonly ComplaintEvent[];
  /** The complaint's version after the command: the client's next If-Match. */
  readonly version: bigint;
}

export interface ExecuteOptions extends EventContext {
  /**
   * The version the client last saw (If-Match). Absent, the command runs against what is stored
   * now and still appends with that version, so a concurrent change makes one of the two fail.
   */
  readonly expectedVersion?: bigint;
}

/** A command to run on a complaint as the caller has it loaded. */
export interface Decision {
  readonly command: ComplaintCommand;
  readonly options: ExecuteOptions;
  readonly loaded: LoadedComplaint;
}

/** Loads complaints from their streams and runs commands through the decider. */
export class ComplaintRepository {
  constructor(private readonly store: EventStore) {}

  /**
   * The complaint as stored now. Streams followed in memory that the caller is about to decide on
   * (the taxonomy, the organisation) are caught up in the same statement: one round trip, not one each.
   */
  async load(complaintId: string, alongside: readonly FollowedStream[] = []): Promise<LoadedComplaint> {
    const stream = complaintStream(complaintId);
    let recorded: RecordedEvent[];
    if (alongside.length === 0) recorded = await this.store.readStream(stream);
    else {
      const reads = alongside.map((followed) => followed.catchUpRead());
      const [complaint, ...caughtUp] = await this.store.readStreams([{ streamId: stream }, ...reads]);
      reads.forEach((read, index) => alongside[index]!.absorb(read, caughtUp[index]!));
      recorded = complaint!;
    }
    const events = recorded.map((record: RecordedEvent) => ({ ...fromStoredEvent(record), recordedAt: record.recordedAt, position: record.position }));
    const state = events.reduce<ComplaintState>(complaintDecider.evolve, complaintDecider.initialState());
    return { state, version: recorded.at(-1)?.streamVersion, events };
  }

  /**
   * Decides on the complaint as stored and appends the outcome with the version it was decided
   * on. Throws DomainError when the rules refuse, WrongExpectedVersionError when the complaint is
   * not at the client's version or moved meanwhile.
   */
  async execute(command: ComplaintCommand, options: ExecuteOptions, alreadyLoaded?: LoadedComplaint): Promise<CommandOutcome> {
    const { complaintId } = command.data;
    // A submission starts a stream: nothing to read, and appending with no_stream is the check that
    // it is new (one round trip fewer on the busiest command). A caller that has just loaded the
    // complaint (to check scope) passes it in; appending with its version keeps that safe.
    const loaded: LoadedComplaint =
      command.type === 'SubmitComplaint'
        ? { state: complaintDecider.initialState(), version: undefined, events: [] }
        : (alreadyLoaded ?? (await this.load(complaintId)));
    const stream = complaintStream(complaintId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
      throw new WrongExpectedVersionError(stream, options.expectedVersion, loaded.version ?? 'no_stream');
    }
    const events = complaintDecider.decide(command, loaded.state);
    const result = await this.store.appendToStream(stream, toStoredEvents(events, options), {
      expectedVersion: loaded.version ?? 'no_stream',
    });
    return { events, version: result.nextExpectedVersion };
  }

  /**
   * Commands on different complaints, each decided on the complaint as the caller loaded it and
   * appended with that version, all in one statement and one commit (the store's appendToStreams).
   * Each succeeds or fails alone, in the order given, as `execute` would: DomainError when the
   * rules refuse, WrongExpectedVersionError when its complaint moved since it was loaded.
   */
  async executeEach(decisions: readonly Decision[]): Promise<PromiseSettledResult<CommandOutcome>[]> {
    const outcomes: PromiseSettledResult<CommandOutcome>[] = new Array(decisions.length);
    const appends: { index: number; events: readonly ComplaintEvent[]; append: StreamAppend }[] = [];
    for (const [index, { command, options, loaded }] of decisions.entries()) {
      const stream = complaintStream(command.data.complaintId);
      try {
        if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
          throw new WrongExpectedVersionError(stream, options.expectedVersion, loaded.version ?? 'no_stream');
        }
        const events = complaintDecider.decide(command, loaded.state);
        appends.push({ index, events, append: { streamId: stream, events: toStoredEvents(events, options), expectedVersion: loaded.version ?? 'no_stream' } });
      } catch (error) {
        outcomes[index] = { status: 'rejected', reason: error };
      }
    }
    const written = appends.length > 0 ? await this.store.appendToStreams(appends.map(({ append }) => append)) : [];
    for (const [at, { index, events }] of appends.entries()) {
      const result = written[at]!;
      outcomes[index] = result.status === 'fulfilled' ? { status: 'fulfilled', value: { events, version: result.value.nextExpectedVersion } } : result;
    }
    return outcomes;
  }
}
