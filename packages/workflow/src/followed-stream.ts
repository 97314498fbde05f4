import type { EventStore, RecordedEvent } from '@lapor/event-store';

/** What a catch-up reads: a followed stream from the first event not folded yet, asked at a moment. */
export interface CatchUpRead {
  readonly streamId: string;
  readonly fromVersion: bigint;
  /** When the read was asked for: what was stored then is in it. */
  readonly askedAt: number;
}

/**
 * A stream every process keeps folded in memory (the category taxonomy, the organisation) and
 * catches up on by reading what came after the last event it folded: one indexed read, usually of
 * nothing. A command that must decide on it as stored now has that read ride along with the read of
 * its complaint, in the same statement (ComplaintRepository.load), instead of a round trip of its own.
 */
export interface FollowedStream {
  /** The read that catches this stream up from where it is now. */
  catchUpRead(): CatchUpRead;
  /** Folds what that read found; what another read folded meanwhile is skipped. */
  absorb(read: CatchUpRead, recorded: readonly RecordedEvent[]): void;
}

/** A catch-up on its own (no command's read to ride along with): the stream read from where it is, and folded. */
export async function catchUpAlone(store: EventStore, followed: FollowedStream): Promise<void> {
  const read = followed.catchUpRead();
  followed.absorb(read, await store.readStream(read.streamId, { fromVersion: read.fromVersion }));
}
