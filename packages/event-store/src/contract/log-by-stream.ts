import { compareLogPositions, LOG_START, type EventStore, type LogPosition, type RecordedEvent, type StreamCursor } from '../port';
import { aStreamId, events, type ContractHarness, type StoreUnderTest } from './harness';

/** Every page of the read by stream up to `upTo`, resuming after the last event of each page. */
async function readByStream(store: EventStore, upTo: LogPosition, pageSize: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: StreamCursor | undefined;
  for (;;) {
    const page = await store.readLogByStream(upTo, after, pageSize);
    all.push(...page);
    const last = page.at(-1);
    if (!last || page.length < pageSize) return all;
    after = { streamId: last.streamId, streamVersion: last.streamVersion };
  }
}

export function describeLogByStream(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(async () => store.close());

  describe('log read stream by stream', () => {
    it('given an empty store, then the settled head is the log start and nothing is read up to it', async () => {
      expect(await store.readSettledLogHead()).toEqual(LOG_START);
      expect(await store.readLogByStream(LOG_START, undefined, 10)).toEqual([]);
    });

    it(
      'given appends to streams taking turns, when read by stream in small pages up to the settled head, then every ' +
        'event comes once, each stream whole and in version order, streams one after another',
      async () => {
        const streams = ['b', 'a', 'c'].map((suffix) => `${aStreamId()}-${suffix}`);
        for (let round = 0; round < 3; round++) for (const stream of streams) await store.appendToStream(stream, events(round + 1));

        const head = await store.readSettledLogHead();
        const read = await readByStream(store, head, 4);

        expect(read).toHaveLength(3 * (1 + 2 + 3));
        expect(new Set(read.map((event) => event.id)).size).toBe(read.length);
        const order = read.map((event) => event.streamId).filter((id, index, all) => all[index - 1] !== id);
        expect(order).toHaveLength(3); // each stream in one run
        expect(new Set(order)).toEqual(new Set(streams));
        for (const stream of streams) {
          expect(read.filter((event) => event.streamId === stream).map((event) => event.streamVersion)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
        }
      },
    );

    it('given appends after the settled head was read, when read up to it, then only what was there at the cut', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(3));
      const head = await store.readSettledLogHead();
      await store.appendToStream(stream, events(2));
      await store.appendToStream(aStreamId(), events(1));

      const read = await readByStream(store, head, 100);
      expect(read.map((event) => event.streamVersion)).toEqual([0n, 1n, 2n]);
      // the rest is what the global log delivers after the cut
      const after = await store.readGlobalLog(head, 100);
      expect(after.events).toHaveLength(3);
    });

    it(
      'given an older transaction still open and a newer append committed, then the settled head stops short of both, ' +
        'and takes them in once the older one has committed',
      async () => {
        if (!subject.beginAppend) return; // one connection: no overlap possible
        await store.appendToStream(aStreamId(), events(1));
        const before = await store.readSettledLogHead();
        const older = await subject.beginAppend(aStreamId(), events(1), 'no_stream');
        await store.appendToStream(aStreamId(), events(1));

        expect(await store.readSettledLogHead()).toEqual(before);
        expect(await readByStream(store, before, 10)).toHaveLength(1);

        await older.commit();
        const settled = await store.readSettledLogHead();
        expect(compareLogPositions(settled, before)).toBe(1);
        expect(await readByStream(store, settled, 10)).toHaveLength(3);
        expect(settled).toEqual(await store.readLogHead());
      },
    );

    it('refuses a page size that is not a positive integer', async () => {
      for (const size of [0, -1, 1.5, Number.NaN]) await expect(store.readLogByStream(LOG_START, undefined, size)).rejects.toThrow(RangeError);
    });
  });
}
