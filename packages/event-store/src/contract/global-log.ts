import { compareLogPositions, LOG_START, type EventStore, type GlobalLogEvent, type LogPosition } from '../port';
import { aStreamId, eventually, events, type ContractHarness, type StoreUnderTest } from './harness';

async function readAll(store: EventStore, from: LogPosition = LOG_START, pageSize = 1_000): Promise<GlobalLogEvent[]> {
  const all: GlobalLogEvent[] = [];
  for (let position = from; ;) {
    const page = await store.readGlobalLog(position, pageSize);
    if (page.events.length === 0) return all;
    all.push(...page.events);
    position = page.next;
  }
}

/** Collects what a subscription delivers, for assertions. */
function follow(store: EventStore, options: { from?: LogPosition; pollIntervalMs?: number; minReadIntervalMs?: number } = {}) {
  const seen: GlobalLogEvent[] = [];
  const errors: unknown[] = [];
  const subscription = store.subscribeToGlobalLog({
    ...options,
    pageSize: 2,
    onEvent: (event) => void seen.push(event),
    onError: (error) => void errors.push(error),
  });
  return { seen, errors, subscription };
}

export function describeGlobalLog(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  const siblings: EventStore[] = [];
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(async () => {
    await Promise.all(siblings.splice(0).map((sibling) => sibling.close()));
    await store.close();
  });

  describe('global log', () => {
    it('given appends to several streams, when read in small pages, then every event comes once, in append order', async () => {
      const [a, b] = [aStreamId(), aStreamId()];
      const written = [...events(3), ...events(2), ...events(4)];
      await store.appendToStream(a, written.slice(0, 3));
      await store.appendToStream(b, written.slice(3, 5));
      await store.appendToStream(a, written.slice(5));

      const read = await readAll(store, LOG_START, 2);
      expect(read.map((e) => e.id)).toEqual(written.map((e) => e.id));
      expect(read.map((e) => e.streamId)).toEqual([a, a, a, b, b, a, a, a, a]);
    });

    it('given a position in the middle, when read from it, then only what comes after it', async () => {
      await store.appendToStream(aStreamId(), events(5));
      const all = await readAll(store);
      const rest = await readAll(store, all[1]!.logPosition);
      expect(rest.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
    });

    it('given the end of the log, when read, then an empty page that points at the same place', async () => {
      await store.appendToStream(aStreamId(), events(2));
      const all = await readAll(store);
      const page = await store.readGlobalLog(all[1]!.logPosition, 10);
      expect(page).toEqual({ events: [], next: all[1]!.logPosition });
    });

    it('refuses a page size that is not a positive integer', async () => {
      for (const size of [0, -1, 1.5, Number.NaN]) await expect(store.readGlobalLog(LOG_START, size)).rejects.toThrow(RangeError);
    });

    it(
      'given a transaction that took a lower position but commits after a higher one, when the log is read, ' +
        'then the late event is not skipped (a reader paging on position alone would lose it)',
      async () => {
        if (!subject.beginAppend || !subject.readPositionsAfter) return; // one connection: no overlap possible
        const late = await subject.beginAppend(aStreamId(), events(1), 'no_stream');
        await store.appendToStream(aStreamId(), events(1));

        // The naive reader sees only the later position now, moves past it, and never comes back.
        const naive = await subject.readPositionsAfter(0n);
        expect(naive).toHaveLength(1);
        // Ours holds back until the open transaction has ended.
        expect((await store.readGlobalLog(LOG_START, 10)).events).toEqual([]);

        await late.commit();
        expect(await subject.readPositionsAfter(naive[0]!)).toEqual([]); // the naive reader's loss
        const read = await readAll(store);
        expect(read).toHaveLength(2);
        expect(read[0]!.position).toBeLessThan(naive[0]!); // the late, lower position is delivered, first
      },
    );
  });

  describe('log head', () => {
    it('given an empty store, then the head is the log start', async () => {
      expect(await store.readLogHead()).toEqual(LOG_START);
    });

    it('given appends, then the head is the position of the last event the global log delivers', async () => {
      await store.appendToStream(aStreamId(), events(2));
      await store.appendToStream(aStreamId(), events(3));
      const all = await readAll(store);
      expect(await store.readLogHead()).toEqual(all.at(-1)!.logPosition);
    });

    it(
      'given an older transaction still open, when a newer append has committed, then the head is past what the ' +
        'global log delivers yet: a follower at the log’s readable end has not seen everything committed',
      async () => {
        if (!subject.beginAppend) return; // one connection: no overlap possible
        const older = await subject.beginAppend(aStreamId(), events(1), 'no_stream');
        await store.appendToStream(aStreamId(), events(1));

        const readable = await store.readGlobalLog(LOG_START, 10);
        expect(readable.events).toEqual([]);
        expect(compareLogPositions(await store.readLogHead(), readable.next)).toBe(1);

        await older.commit();
        const all = await readAll(store);
        expect(all).toHaveLength(2);
        expect(compareLogPositions(all.at(-1)!.logPosition, await store.readLogHead())).toBe(0);
      },
    );
  });

  describe('subscription', () => {
    it('given events already stored, when subscribed, then it catches up and then follows new appends', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(5));
      const { seen, errors, subscription } = follow(store);
      await eventually(() => seen.length === 5, 10_000, 'catch-up');

      await store.appendToStream(stream, events(3));
      await eventually(() => seen.length === 8, 10_000, 'live events');
      await subscription.close();

      expect(seen.map((e) => e.id)).toEqual((await readAll(store)).map((e) => e.id));
      expect(errors).toEqual([]);
    });

    it('given a minimum read interval, when appends come in a burst, then each still arrives once, in order', async () => {
      const { seen, subscription } = follow(store, { minReadIntervalMs: 50 });
      const stream = aStreamId();
      for (let i = 0; i < 20; i++) await store.appendToStream(stream, events(1));
      await eventually(() => seen.length === 20, 10_000, 'the burst');
      await new Promise((resolve) => setTimeout(resolve, 120)); // and nothing more comes
      await subscription.close();
      expect(seen.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    });

    it('given a checkpoint, when subscribed from it, then only the events after it arrive', async () => {
      await store.appendToStream(aStreamId(), events(6));
      const checkpoint = (await readAll(store))[3]!.logPosition;
      const { seen, subscription } = follow(store, { from: checkpoint });
      await eventually(() => seen.length === 2, 10_000, 'the events after the checkpoint');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await subscription.close();
      expect(seen).toHaveLength(2);
      expect(seen.every((e) => compareLogPositions(e.logPosition, checkpoint) > 0)).toBe(true);
    });

    it('given another process appending to the same store, when the poll is an hour away, then the ' + 'notification alone brings its events', async () => {
      const other = await subject.openSibling();
      siblings.push(other);
      const { seen, subscription } = follow(store, { pollIntervalMs: 3_600_000 });
      await new Promise((resolve) => setTimeout(resolve, 100)); // listening, idle
      await other.appendToStream(aStreamId(), events(2));
      await eventually(() => seen.length === 2, 10_000, 'the other process’s events');
      await subscription.close();
    });

    it('given a handler that fails, then the subscription stops at that event and reports it; resubscribing redelivers it', async () => {
      await store.appendToStream(aStreamId(), events(4));
      const delivered: GlobalLogEvent[] = [];
      const errors: unknown[] = [];
      const failing = store.subscribeToGlobalLog({
        onEvent: (event) => {
          if (delivered.length === 2) throw new Error('projection failed');
          delivered.push(event);
        },
        onError: (error) => void errors.push(error),
      });
      await eventually(() => errors.length === 1, 10_000, 'the failure to be reported');
      await failing.close();
      expect(delivered).toHaveLength(2);
      expect(errors[0]).toMatchObject({ message: 'projection failed' });

      const { seen, subscription } = follow(store, { from: delivered[1]!.logPosition });
      await eventually(() => seen.length === 2, 10_000, 'the redelivery');
      await subscription.close();
      const all = await readAll(store);
      expect([...delivered, ...seen].map((e) => e.id)).toEqual(all.map((e) => e.id));
    });
  });

  describe('subscription by pages', () => {
    it('given events stored and more appended, when subscribed by pages, then every event arrives once, in log order, in pages of at most the page size', async () => {
      await store.appendToStream(aStreamId(), events(7));
      const stored = (await readAll(store)).length;
      const pages: GlobalLogEvent[][] = [];
      const subscription = store.subscribeToGlobalLog({ pageSize: 3, onPage: (page) => void pages.push([...page]) });
      await eventually(() => pages.flat().length === stored, 10_000, 'catch-up');
      await store.appendToStream(aStreamId(), events(2));
      await eventually(() => pages.flat().length === stored + 2, 10_000, 'live events');
      await subscription.close();

      expect(pages.flat().map((e) => e.id)).toEqual((await readAll(store)).map((e) => e.id));
      expect(pages.every((page) => page.length >= 1 && page.length <= 3)).toBe(true);
    });

    it('given a page handler that fails, then the subscription stops before that page and a resubscription delivers it whole', async () => {
      await store.appendToStream(aStreamId(), events(4));
      const stored = (await readAll(store)).length;
      const errors: unknown[] = [];
      const failing = store.subscribeToGlobalLog({
        onPage: () => {
          throw new Error('page failed');
        },
        onError: (error) => void errors.push(error),
      });
      await eventually(() => errors.length === 1, 10_000, 'the failure to be reported');
      await failing.close();

      const pages: GlobalLogEvent[][] = [];
      const again = store.subscribeToGlobalLog({ onPage: (page) => void pages.push([...page]) });
      await eventually(() => pages.flat().length === stored, 10_000, 'the redelivery');
      await again.close();
      expect(pages.flat().map((e) => e.id)).toEqual((await readAll(store)).map((e) => e.id));
    });
  });

  describe('schema', () => {
    it('given a store already set up, when a second process opens it, then migrations do not run twice and data stays', async () => {
      const stream = aStreamId();
      await store.appendToStream(stream, events(2));
      const other = await subject.openSibling();
      siblings.push(other);
      expect(await other.readStream(stream)).toHaveLength(2);
    });
  });
}
