import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import { LOG_START, type EventStore, type StreamAppend } from '../port';
import { aStreamId, anEvent, events, type ContractHarness, type StoreUnderTest } from './harness';

/** New streams, one event each, so that appends can expect version 0. */
async function streamsAtVersionZero(store: EventStore, count: number): Promise<string[]> {
  const streams = Array.from({ length: count }, () => aStreamId());
  for (const stream of streams) await store.appendToStream(stream, events(1));
  return streams;
}

/** The writing transaction of each event id, as the global log tells it. */
async function commitsOf(store: EventStore): Promise<Map<string, bigint>> {
  const { events: logged } = await store.readGlobalLog(LOG_START, 10_000);
  return new Map(logged.map((event) => [event.id, event.logPosition.transactionId]));
}

/**
 * One call, many streams (what a scheduler firing a batch of timers sends): everything written in
 * one commit, and each append answered as it would have been alone.
 */
export function describeAppendToStreams(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(() => store.close());

  describe('appending to many streams at once', () => {
    it('given appends to 20 streams in one call, then each is answered with its version and all were written in one commit', async () => {
      const streams = await streamsAtVersionZero(store, 20);
      const appends: StreamAppend[] = streams.map((streamId, index) => ({ streamId, events: events(1 + (index % 2)), expectedVersion: 0n }));

      const outcomes = await store.appendToStreams(appends);

      expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.nextExpectedVersion : 'failed'))).toEqual(
        appends.map((append) => BigInt(append.events.length)),
      );
      const commits = await commitsOf(store);
      const written = new Set(appends.flatMap((append) => append.events.map((event) => commits.get(event.id))));
      expect(written.size).toBe(1);
      for (const append of appends) {
        expect((await store.readStream(append.streamId, { fromVersion: 1n })).map((event) => event.id)).toEqual(append.events.map((event) => event.id));
      }
    });

    it('given one stream changed by another writer before the call, when the call expects its old version, then that append alone fails and nothing of it is written', async () => {
      const streams = await streamsAtVersionZero(store, 6);
      const sibling = await subject.openSibling();
      try {
        await sibling.appendToStream(streams[3]!, events(1), { expectedVersion: 0n });
      } finally {
        await sibling.close();
      }
      const appends: StreamAppend[] = streams.map((streamId) => ({ streamId, events: [anEvent('TimerFired')], expectedVersion: 0n }));

      const outcomes = await store.appendToStreams(appends);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(streams.map((_, index) => (index === 3 ? 'rejected' : 'fulfilled')));
      expect(outcomes[3]).toMatchObject({ reason: expect.any(WrongExpectedVersionError) });
      expect(outcomes[3]).toMatchObject({ reason: { streamId: streams[3], expected: 0n, actual: 1n } });
      expect((await store.readStream(streams[3]!)).map((event) => event.type)).not.toContain('TimerFired');
      for (const [index, stream] of streams.entries()) {
        if (index !== 3) expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['SomethingHappened', 'TimerFired']);
      }
    });

    it('given a call that was written, when it is sent again (a retry after a lost answer), then every append is answered as the first time and nothing is written twice', async () => {
      const streams = await streamsAtVersionZero(store, 5);
      const appends: StreamAppend[] = streams.map((streamId) => ({ streamId, events: events(2), expectedVersion: 0n }));
      const first = await store.appendToStreams(appends);

      const again = await store.appendToStreams(appends);

      expect(again).toEqual(first);
      for (const stream of streams) expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('given an append whose ids are stored in another stream, then it alone is refused', async () => {
      const [storedElsewhere] = events(1);
      await store.appendToStream(aStreamId(), [storedElsewhere!]);
      const appends: StreamAppend[] = [
        { streamId: aStreamId(), events: events(1) },
        { streamId: aStreamId(), events: [storedElsewhere!] },
        { streamId: aStreamId(), events: events(1) },
      ];

      const outcomes = await store.appendToStreams(appends);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[1]).toMatchObject({ reason: expect.any(DuplicateEventIdError) });
    });

    it('given one stream twice in a call, then the call is refused and nothing is written', async () => {
      const stream = aStreamId();
      await expect(
        store.appendToStreams([
          { streamId: stream, events: events(1) },
          { streamId: stream, events: events(1) },
        ]),
      ).rejects.toThrow(RangeError);
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('given no appends, then nothing is written and the answer is empty', async () => {
      expect(await store.appendToStreams([])).toEqual([]);
    });
  });
}
