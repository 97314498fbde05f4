import { WrongExpectedVersionError } from '../errors';
import type { EventStore } from '../port';
import { aStreamId, events, type ContractHarness, type StoreUnderTest } from './harness';
import { runConcurrentWriters } from './concurrent-writers';

export function describeConcurrency(harness: ContractHarness): void {
  let subject: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    subject = await harness.createStore();
    store = subject.store;
  });
  afterEach(() => store.close());

  describe('concurrent writers', () => {
    it.each([['an exact version', 0n] as const, ['no_stream', 'no_stream'] as const])(
      'with the same expectation (%s): exactly one wins, the others get a WrongExpectedVersionError',
      async (_, expectedVersion) => {
        const stream = aStreamId();
        if (expectedVersion === 0n) await store.appendToStream(stream, events(1));
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.appendToStream(stream, events(2), { expectedVersion })));

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        const winnerVersion = expectedVersion === 0n ? 2n : 1n;
        for (const error of lost) {
          expect(error).toBeInstanceOf(WrongExpectedVersionError);
          expect(error).toMatchObject({ expected: expectedVersion, actual: winnerVersion });
        }
        expect(await store.readStream(stream)).toHaveLength(Number(winnerVersion) + 1);
      },
    );

    it('when both have passed the version check, the later commit loses (two connections)', async () => {
      if (!subject.beginAppend) return; // one connection: appends cannot overlap
      const stream = aStreamId();
      await store.appendToStream(stream, events(1));
      const first = await subject.beginAppend(stream, events(1), 0n);
      // Blocks on the unique (stream, version) index until the first commits, then loses.
      const second = store.appendToStream(stream, events(1), { expectedVersion: 0n }).then(
        () => 'won',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await first.commit();
      expect(await second).toMatchObject({ name: 'WrongExpectedVersionError', actual: 1n });
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([0n, 1n]);
    });

    it(
      `${harness.load.writers} writers append ${harness.load.events} events while readers follow the log in pages of 50: ` +
        'every event exactly once, in commit order, streams in order',
      async () => {
        await runConcurrentWriters(store, { ...harness.load, pageSize: 50, seed: 20_251_123 });
      },
    );
  });
}
