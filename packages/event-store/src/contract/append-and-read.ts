import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import type { EventStore } from '../port';
import { aStreamId, anEvent, events, type ContractHarness, type StoreUnderTest } from './harness';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

export function describeAppendAndRead(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(() => store.close());

  describe('append and read', () => {
    it('reads back a stream in order, with everything that was appended', async () => {
      const stream = aStreamId();
      const first = anEvent('ComplaintSubmitted', { title: 'Jalan rusak', tags: ['jalan', 'ñ'], nested: { n: 1 } }, { correlationId: 'c-1' });
      const second = anEvent('ComplaintVerified', null);
      const result = await store.appendToStream(stream, [first, second]);

      const read = await store.readStream(stream);
      expect(read.map((e) => [e.id, e.streamId, e.streamVersion, e.type, e.data, e.metadata])).toEqual([
        [first.id, stream, 0n, 'ComplaintSubmitted', first.data, { correlationId: 'c-1' }],
        [second.id, stream, 1n, 'ComplaintVerified', null, {}],
      ]);
      expect(read[0]!.position).toBeLessThan(read[1]!.position);
      expect(read[1]!.recordedAt).toBeInstanceOf(Date);
      expect(result).toEqual({ nextExpectedVersion: 1n, position: read[1]!.position });
    });

    it('reads nothing from a stream that does not exist', async () => {
      await expect(store.readStream(aStreamId())).resolves.toEqual([]);
    });

    it('reads a slice of a stream', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(5));
      const slice = await store.readStream(stream, { fromVersion: 1n, maxCount: 3 });
      expect(slice.map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
    });

    it('reads the last event of each stream asked for, and nothing for a stream that does not exist', async () => {
      const [long, short, missing] = [aStreamId(), aStreamId(), aStreamId()];
      await store.appendToStream(long, events(4));
      await store.appendToStream(long, events(3));
      await store.appendToStream(short, events(1));
      const latest = await store.readLatest([long, short, missing, long]);
      expect(latest.map((event) => [event.streamId, event.streamVersion]).sort()).toEqual(
        [
          [long, 6n],
          [short, 0n],
        ].sort(),
      );
      await expect(store.readLatest([])).resolves.toEqual([]);
    });

    it('reads several streams in one call, each from its own version, in the order asked', async () => {
      const [complaint, taxonomy, missing] = [aStreamId(), aStreamId(), aStreamId()];
      await store.appendToStream(complaint, events(3));
      await store.appendToStream(taxonomy, events(5));

      const [fromStart, fromThree, none, pastTheEnd] = await store.readStreams([
        { streamId: complaint },
        { streamId: taxonomy, fromVersion: 3n },
        { streamId: missing },
        { streamId: complaint, fromVersion: 3n },
      ]);

      expect(fromStart!.map((event) => [event.streamId, event.streamVersion])).toEqual([0n, 1n, 2n].map((version) => [complaint, version]));
      expect(fromThree!.map((event) => [event.streamId, event.streamVersion])).toEqual([3n, 4n].map((version) => [taxonomy, version]));
      expect(none).toEqual([]);
      expect(pastTheEnd).toEqual([]);
      expect(fromStart).toEqual(await store.readStream(complaint));
      await expect(store.readStreams([])).resolves.toEqual([]);
    });

    it('reads the latest events and several streams the same way for any number of streams, a few or many', async () => {
      const streams = Array.from({ length: 20 }, () => aStreamId());
      for (const [index, stream] of streams.entries()) await store.appendToStream(stream, events(1 + (index % 3)));
      // 1 and 16 streams each have a statement of their own length; 17 and 20 share the array form
      for (const count of [1, 2, 16, 17, 20]) {
        const asked = streams.slice(0, count);
        const latest = await store.readLatest(asked);
        expect(latest.map((event) => [event.streamId, event.streamVersion]).sort()).toEqual(asked.map((stream, index) => [stream, BigInt(index % 3)]).sort());
        const read = await store.readStreams(asked.map((streamId, index) => ({ streamId, fromVersion: BigInt(index % 2) })));
        expect(read.map((stream) => stream.map((event) => event.streamVersion))).toEqual(
          asked.map((_, index) => Array.from({ length: 1 + (index % 3) }, (__, version) => BigInt(version)).filter((version) => version >= BigInt(index % 2))),
        );
      }
    });

    it('continues a stream across appends', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(2));
      const result = await store.appendToStream(stream, events(3), { expectedVersion: 1n });
      expect(result.nextExpectedVersion).toBe(4n);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it('refuses an empty append, ids that are not UUIDs, and an id twice in one append', async () => {
      await expect(store.appendToStream(aStreamId(), [])).rejects.toThrow(RangeError);
      await expect(store.appendToStream(aStreamId(), [{ id: 'not-a-uuid', type: 'X', data: {} }])).rejects.toThrow(RangeError);
      const event = anEvent();
      await expect(store.appendToStream(aStreamId(), [event, event])).rejects.toThrow(RangeError);
    });
  });

  describe('expected version', () => {
    it('no_stream: only a new stream', async () => {
      const stream = aStreamId();
      await expect(store.appendToStream(stream, events(1), { expectedVersion: 'no_stream' })).resolves.toMatchObject({ nextExpectedVersion: 0n });
      const error = await rejection(store.appendToStream(stream, events(1), { expectedVersion: 'no_stream' }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: stream, expected: 'no_stream', actual: 0n });
    });

    it('stream_exists: only an existing stream', async () => {
      const stream = aStreamId();
      const error = await rejection(store.appendToStream(stream, events(1), { expectedVersion: 'stream_exists' }));
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: 'stream_exists', actual: 'no_stream' });
      await store.appendToStream(stream, events(1));
      await expect(store.appendToStream(stream, events(1), { expectedVersion: 'stream_exists' })).resolves.toMatchObject({ nextExpectedVersion: 1n });
    });

    it('an exact version: only when the stream is there', async () => {
      const stream = aStreamId();
      expect(await rejection(store.appendToStream(stream, events(1), { expectedVersion: 0n }))).toMatchObject({ actual: 'no_stream' });
      await store.appendToStream(stream, events(2), { expectedVersion: 'no_stream' });
      const stale = await rejection(store.appendToStream(stream, events(1), { expectedVersion: 0n }));
      expect(stale).toBeInstanceOf(WrongExpectedVersionError);
      expect(stale).toMatchObject({ expected: 0n, actual: 1n });
      await expect(store.appendToStream(stream, events(1), { expectedVersion: 1n })).resolves.toMatchObject({ nextExpectedVersion: 2n });
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('any (the default): always', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(1), { expectedVersion: 'any' });
      await expect(store.appendToStream(stream, events(1))).resolves.toMatchObject({ nextExpectedVersion: 1n });
    });
  });

  describe('idempotent append by event id', () => {
    it('answers a retry as the first time and writes nothing twice, whatever the retry expects', async () => {
      const stream = aStreamId();
      const batch = events(3);
      const first = await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' });
      await store.appendToStream(stream, events(1)); // the stream moves on meanwhile

      for (const expectedVersion of ['no_stream', 'any', 'stream_exists', 0n, 99n] as const) {
        await expect(store.appendToStream(stream, batch, { expectedVersion })).resolves.toEqual(first);
      }
      expect(await store.readStream(stream)).toHaveLength(4);
    });

    it('writes a batch once when the same append is sent twice at the same time', async () => {
      const stream = aStreamId();
      const batch = events(2);
      const [a, b] = await Promise.all([store.appendToStream(stream, batch), store.appendToStream(stream, batch)]);
      expect(a).toEqual(b);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses a batch that repeats only some stored ids, or stored ids in another stream', async () => {
      const stream = aStreamId();
      const [a, b] = events(2);
      await store.appendToStream(stream, [a!, b!]);

      const partial = await rejection(store.appendToStream(stream, [b!, anEvent()]));
      expect(partial).toBeInstanceOf(DuplicateEventIdError);
      expect(partial).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventIds: [b!.id] });

      const elsewhere = await rejection(store.appendToStream(aStreamId(), [a!, b!]));
      expect(elsewhere).toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(stream)).toHaveLength(2);
    });
  });
}
