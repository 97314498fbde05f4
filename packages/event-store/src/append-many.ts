import { checkAppend, type AppendToStream, type Appended } from './append';
import { serialiseBatched, type AppendBatch, type BatchedAppend } from './append-batch';

/** Appends to many streams at once: see `EventStore.appendToStreams`. */
export type AppendMany = (appends: readonly BatchedAppend[]) => Promise<PromiseSettledResult<Appended>[]>;

const settled = (outcome: Promise<Appended>): Promise<PromiseSettledResult<Appended>> =>
  outcome.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );

/**
 * One batch statement writes what it can; whatever it leaves out (a conflict, a retry, ids stored
 * elsewhere) and, if the statement itself failed, every append, is appended alone: so each gets
 * exactly a lone append's answer, and the rare case costs a round trip of its own, not the batch.
 */
export function createManyAppender(appendAlone: AppendToStream, appendBatch: AppendBatch): AppendMany {
  return async (appends) => {
    const streams = new Set<string>();
    for (const { streamId } of appends) {
      if (streams.has(streamId)) throw new RangeError(`append to many streams: ${streamId} appears twice`);
      streams.add(streamId);
    }
    const outcomes: Promise<PromiseSettledResult<Appended>>[] = new Array(appends.length);
    const members: { index: number; append: BatchedAppend }[] = [];
    const serialised: string[] = [];
    for (const [index, append] of appends.entries()) {
      try {
        checkAppend(append.streamId, append.events);
        serialised.push(serialiseBatched(append));
        members.push({ index, append });
      } catch (error) {
        outcomes[index] = Promise.resolve({ status: 'rejected', reason: error });
      }
    }
    const alone = ({ index, append }: { index: number; append: BatchedAppend }): void => {
      outcomes[index] = settled(appendAlone(append.streamId, append.events, append.expected));
    };
    if (members.length === 1) members.forEach(alone);
    else if (members.length > 1) {
      let written: Map<string, Appended> | undefined;
      try {
        written = await appendBatch(serialised);
      } catch {
        // nothing of it committed (or, if the answer was lost, its ids make the lone retries find it)
      }
      for (const member of members) {
        const appended = written?.get(member.append.streamId);
        if (appended) outcomes[member.index] = Promise.resolve({ status: 'fulfilled', value: appended });
        else alone(member);
      }
    }
    return Promise.all(outcomes);
  };
}
