import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import { LOG_START, type AppendResult, type EventStore, type EventToAppend, type ExpectedVersion, type GlobalLogEvent } from '../port';
import { aStreamId, anEvent, events, type ContractHarness, type StoreUnderTest } from './harness';

interface Send {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedVersion?: ExpectedVersion;
}

/** Sends every append in the same tick, so those that find the store busy leave together. */
function sendAtOnce(store: EventStore, sends: readonly Send[]): Promise<PromiseSettledResult<AppendResult>[]> {
  return Promise.allSettled(sends.map((send) => store.appendToStream(send.streamId, send.events, { expectedVersion: send.expectedVersion ?? 'any' })));
}

async function readAll(store: EventStore): Promise<readonly GlobalLogEvent[]> {
  return (await store.readGlobalLog(LOG_START, 10_000)).events;
}

/** New streams, one event each, written first so that appends can expect their version. */
async function streamsAtVersionZero(store: EventStore, count: number): Promise<string[]> {
  const streams = Array.from({ length: count }, () => aStreamId());
  for (const stream of streams) await store.appendToStream(stream, events(1));
  return streams;
}

/** Each fulfilled append's events are stored, and nothing of a rejected one. */
async function expectStoredExactlyWhatWasAcknowledged(store: EventStore, sends: readonly Send[], outcomes: readonly PromiseSettledResult<AppendResult>[]) {
  for (const [index, send] of sends.entries()) {
    const stored = new Set((await store.readStream(send.streamId)).map((event) => event.id));
    const acknowledged = outcomes[index]!.status === 'fulfilled';
    expect({ index, stored: send.events.every((event) => stored.has(event.id)), acknowledged }).toEqual({ index, stored: acknowledged, acknowledged });
  }
}

/**
 * Group commit: appends to different streams sent while the store is busy share a commit, and
 * still answer one by one, each as it would have alone.
 */
export function describeGroupCommit(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(() => store.close());

  describe('group commit', () => {
    it('given appends to 16 streams sent at once, then they are all stored, in fewer commits than appends, each append together', async () => {
      const sends = Array.from({ length: 16 }, (_, index) => ({
        streamId: aStreamId(),
        events: events(1 + (index % 3)),
        expectedVersion: 'no_stream' as const,
      }));
      const outcomes = await sendAtOnce(store, sends);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(sends.map(() => 'fulfilled'));
      const log = await readAll(store);
      expect(log.map((event) => event.id).sort()).toEqual(sends.flatMap((send) => send.events.map((event) => event.id)).sort());
      const commits = new Set(log.map((event) => event.logPosition.transactionId));
      expect(commits.size).toBeLessThan(sends.length);
      for (const send of sends) {
        const read = await store.readStream(send.streamId);
        expect(read.map((event) => [event.id, event.streamVersion])).toEqual(send.events.map((event, version) => [event.id, BigInt(version)]));
        const at = log.findIndex((event) => event.id === send.events[0]!.id);
        expect(log.slice(at, at + send.events.length).map((event) => event.id)).toEqual(send.events.map((event) => event.id));
      }
    });

    it('given appends sent at once, when one expects a version its stream is not at, then it alone fails and the others are stored', async () => {
      const streams = await streamsAtVersionZero(store, 8);
      const sends: Send[] = streams.map((streamId, index) => ({ streamId, events: events(2), expectedVersion: index === 5 ? 3n : 0n }));
      const outcomes = await sendAtOnce(store, sends);

      const failed = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ index, error: outcome.reason as unknown }] : []));
      expect(failed).toEqual([{ index: 5, error: expect.any(WrongExpectedVersionError) }]);
      expect(failed[0]!.error).toMatchObject({ streamId: streams[5], expected: 3n, actual: 0n });
      expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.nextExpectedVersion : 'failed'))).toEqual(
        streams.map((_, index) => (index === 5 ? 'failed' : 2n)),
      );
      await expectStoredExactlyWhatWasAcknowledged(store, sends, outcomes);
    });

    it('given a retried append among new ones sent at once, then the retry is answered as the first time and written once, and ids stored elsewhere are refused alone', async () => {
      const retried = aStreamId();
      const batch = events(2);
      const first = await store.appendToStream(retried, batch);
      const [storedElsewhere] = events(1);
      await store.appendToStream(aStreamId(), [storedElsewhere!]);

      const sends: Send[] = [
        ...Array.from({ length: 3 }, () => ({ streamId: aStreamId(), events: events(1) })),
        { streamId: retried, events: batch, expectedVersion: 'no_stream' },
        { streamId: aStreamId(), events: [anEvent(), storedElsewhere!] },
        ...Array.from({ length: 3 }, () => ({ streamId: aStreamId(), events: events(1) })),
      ];
      const outcomes = await sendAtOnce(store, sends);

      expect(outcomes[3]).toEqual({ status: 'fulfilled', value: first });
      expect(outcomes[4]).toMatchObject({ status: 'rejected', reason: expect.any(DuplicateEventIdError) });
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(7);
      expect(await store.readStream(retried)).toHaveLength(2);
      expect(await store.readStream(sends[4]!.streamId)).toEqual([]);
    });

    it('given appends sent at once, when the database refuses one (a NUL character in its data), then it alone fails and every other is acknowledged and stored', async () => {
      const sends: Send[] = Array.from({ length: 8 }, (_, index) => ({
        streamId: aStreamId(),
        events: [anEvent('SomethingHappened', index === 4 ? { note: 'before\u0000after' } : { index })],
      }));
      const outcomes = await sendAtOnce(store, sends);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(sends.map((_, index) => (index === 4 ? 'rejected' : 'fulfilled')));
      await expectStoredExactlyWhatWasAcknowledged(store, sends, outcomes);
    });

    it('given appends sent at once, when one cannot be serialised, then it alone fails and the others are stored', async () => {
      const sends: Send[] = Array.from({ length: 6 }, (_, index) => ({
        streamId: aStreamId(),
        events: [anEvent('SomethingHappened', index === 2 ? { amount: 10n } : { index })],
      }));
      const outcomes = await sendAtOnce(store, sends);

      expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: expect.any(TypeError) });
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
      await expectStoredExactlyWhatWasAcknowledged(store, sends, outcomes);
    });

    it('given appends to one stream sent at once, then each in turn, none lost or written twice', async () => {
      const stream = aStreamId();
      const sends: Send[] = Array.from({ length: 6 }, () => ({ streamId: stream, events: events(1) }));
      const outcomes = await sendAtOnce(store, sends);

      expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.nextExpectedVersion : outcome.reason)).sort()).toEqual([
        0n,
        1n,
        2n,
        3n,
        4n,
        5n,
      ]);
      expect((await store.readStream(stream)).map((event) => event.id).sort()).toEqual(sends.map((send) => send.events[0]!.id).sort());
    });

    it('given another connection holding the next version of one stream, when a batch that includes it commits, then that append alone loses', async () => {
      if (!subject.beginAppend) return; // one connection: appends cannot overlap
      const streams = await streamsAtVersionZero(store, 8);
      const holder = await subject.beginAppend(streams[7]!, events(1), 0n);
      const sends: Send[] = streams.map((streamId) => ({ streamId, events: events(1), expectedVersion: 0n }));
      // the last append sent joins a batch (the first ones leave alone); that batch waits on the holder's row
      const sent = sendAtOnce(store, sends);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await holder.commit();
      const outcomes = await sent;

      expect(outcomes.map((outcome) => outcome.status)).toEqual(streams.map((_, index) => (index === 7 ? 'rejected' : 'fulfilled')));
      expect(outcomes[7]).toMatchObject({ reason: expect.any(WrongExpectedVersionError) });
      expect(outcomes[7]).toMatchObject({ reason: { actual: 1n } });
      await expectStoredExactlyWhatWasAcknowledged(store, sends, outcomes);
    });
  });
}
