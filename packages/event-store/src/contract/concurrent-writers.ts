import { WrongExpectedVersionError } from '../errors';
import { compareLogPositions, LOG_START, type EventStore, type ExpectedVersion, type GlobalLogEvent } from '../port';
import { anEvent, eventually, seededRandom } from './harness';

export interface WritersLoad {
  readonly writers: number;
  readonly events: number;
  readonly streams: number;
  readonly maxBatch: number;
  readonly pageSize: number;
  readonly seed: number;
}

/** One append as the writer saw it: when it was sent, when its answer came back, what it wrote. */
interface AppendRecord {
  readonly ids: readonly string[];
  readonly sentAt: number;
  readonly answeredAt: number;
}

/**
 * Writers append batches to shared streams, some with an exact version (retrying on conflict with
 * the version the error reports), some with 'any'; meanwhile one reader pages the log by hand and a
 * subscription follows it. Then everything both saw is checked against what was written.
 */
export async function runConcurrentWriters(store: EventStore, load: WritersLoad): Promise<void> {
  const streams = Array.from({ length: load.streams }, (_, index) => `load-${load.seed}-${index}`);
  const appends: AppendRecord[] = [];
  let budget = load.events;
  let writing = true;

  const writer = async (writerIndex: number): Promise<void> => {
    const random = seededRandom(load.seed + writerIndex);
    const known = new Map<string, bigint>(); // this writer's last-seen version per stream
    while (budget > 0) {
      const size = Math.min(budget, 1 + Math.floor(random() * load.maxBatch));
      budget -= size;
      const stream = streams[Math.floor(random() * streams.length)]!;
      const batch = Array.from({ length: size }, () => anEvent('LoadTested', { writer: writerIndex }));
      for (;;) {
        const useAny = random() < 0.3;
        const last = known.get(stream);
        const expectedVersion: ExpectedVersion = useAny ? 'any' : (last ?? 'no_stream');
        const sentAt = performance.now();
        try {
          const result = await store.appendToStream(stream, batch, { expectedVersion });
          appends.push({ ids: batch.map((e) => e.id), sentAt, answeredAt: performance.now() });
          known.set(stream, result.nextExpectedVersion);
          break;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          if (error.actual === 'no_stream') known.delete(stream);
          else known.set(stream, error.actual);
        }
      }
    }
  };

  const pagedRead: GlobalLogEvent[] = [];
  const reader = async (): Promise<void> => {
    let from = LOG_START;
    while (writing || pagedRead.length < load.events) {
      const page = await store.readGlobalLog(from, load.pageSize);
      pagedRead.push(...page.events);
      from = page.next;
      if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  const followed: GlobalLogEvent[] = [];
  const subscription = store.subscribeToGlobalLog({ pageSize: load.pageSize, onEvent: (event) => void followed.push(event) });

  const readingDone = reader();
  await Promise.all(Array.from({ length: load.writers }, (_, index) => writer(index)));
  writing = false;
  await readingDone;
  await eventually(() => followed.length >= load.events, 20_000, 'the subscription to catch up');
  await subscription.close();

  const everything = await readWholeLog(store);
  const written = appends.flatMap((a) => a.ids);
  expect(written).toHaveLength(load.events);

  for (const [name, seen] of [
    ['paged reader', pagedRead],
    ['subscription', followed],
  ] as const) {
    const ids = seen.map((e) => e.id);
    expect({ name, count: ids.length, distinct: new Set(ids).size }).toEqual({ name, count: load.events, distinct: load.events });
    // the same order as a reader that came afterwards: the order is a fact of the log, not of timing
    expect({ name, ids }).toEqual({ name, ids: everything.map((e) => e.id) });
  }
  expect(new Set(everything.map((e) => e.id))).toEqual(new Set(written));

  expectStrictlyIncreasing(everything);
  expectStreamsInOrder(everything);
  expectCommitOrder(everything, appends);
}

async function readWholeLog(store: EventStore): Promise<GlobalLogEvent[]> {
  const all: GlobalLogEvent[] = [];
  for (let from = LOG_START; ;) {
    const page = await store.readGlobalLog(from, 10_000);
    if (page.events.length === 0) return all;
    all.push(...page.events);
    from = page.next;
  }
}

function expectStrictlyIncreasing(log: readonly GlobalLogEvent[]): void {
  const backwards = log.findIndex((event, index) => index > 0 && compareLogPositions(log[index - 1]!.logPosition, event.logPosition) >= 0);
  expect(backwards).toBe(-1);
}

/** Each stream's events appear as versions 0, 1, 2… with no gap and nothing out of order. */
function expectStreamsInOrder(log: readonly GlobalLogEvent[]): void {
  const next = new Map<string, bigint>();
  const disorder: string[] = [];
  for (const event of log) {
    const expected = next.get(event.streamId) ?? 0n;
    if (event.streamVersion !== expected) disorder.push(`${event.streamId}: ${event.streamVersion} where ${expected} was due`);
    next.set(event.streamId, event.streamVersion + 1n);
  }
  expect(disorder).toEqual([]);
}

/**
 * Commit order, as far as a client can observe it: an append answered before another was sent has
 * committed before it, so it must come first in the log. (Appends in flight together have no
 * observable order; the log still gives them one that every reader shares.) Each append's events
 * must also sit together, in the order given.
 */
function expectCommitOrder(log: readonly GlobalLogEvent[], appends: readonly AppendRecord[]): void {
  const indexOf = new Map(log.map((event, index) => [event.id, index]));
  const placed = appends.map((append) => {
    const indices = append.ids.map((id) => indexOf.get(id) ?? -1);
    const together = indices.every((index, i) => index === indices[0]! + i);
    return { ...append, at: indices[0]!, together };
  });
  expect(placed.filter((append) => !append.together)).toEqual([]);

  // Walking the log backwards, remember the earliest answer among later appends: none may have been
  // answered before an earlier one in the log was even sent.
  placed.sort((a, b) => a.at - b.at);
  let earliestAnswerAfter = Infinity;
  const violations: string[] = [];
  for (let i = placed.length - 1; i >= 0; i--) {
    const append = placed[i]!;
    if (earliestAnswerAfter < append.sentAt) violations.push(`append at log index ${append.at} follows one answered before it was sent`);
    earliestAnswerAfter = Math.min(earliestAnswerAfter, append.answeredAt);
  }
  expect(violations).toEqual([]);
}
