import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { INBOX_OPENED, unitActivityStream } from '@lapor/accounts';
import { randomUUID } from 'node:crypto';
import { inboxVisitsAsOf } from '../src/visits';

// "Terakhir Dilihat" of a recap as it stood at a moment: the latest inbox visit at or before that
// moment, found without reading every visit since.

const DAY_MS = 86_400_000;
const START = Date.parse('2023-01-02T01:00:00Z');
const dayAt = (day: number): string => new Date(START + day * DAY_MS).toISOString();

describe('inbox visits as of a moment', () => {
  let store: EventStore;
  let reads = 0;

  beforeAll(async () => {
    store = await createPGliteEventStore();
    // the BKD liaison opened the inbox every day for three years; Dinas Sosial once, in 2024; Dinkes never
    const visits = (nodeId: string, days: number[]) =>
      store.appendToStream(
        unitActivityStream(nodeId),
        days.map((day) => ({ id: randomUUID(), type: INBOX_OPENED, data: { nodeId, at: dayAt(day), by: `liaison-${nodeId}` } })),
      );
    await visits(
      'bkd',
      Array.from({ length: 1000 }, (_, day) => day),
    );
    await visits('dinsos', [500]);
    const readStream = store.readStream.bind(store);
    store = {
      ...store,
      readStream: (streamId, options) => {
        reads++;
        return readStream(streamId, options);
      },
    };
  });
  afterAll(() => store.close());
  beforeEach(() => {
    reads = 0;
  });

  it('given no moment, then each node has its latest visit, in one read of the streams’ last events', async () => {
    const visits = await inboxVisitsAsOf(store, ['bkd', 'dinsos', 'dinkes']);
    expect(Object.fromEntries(visits)).toEqual({ bkd: dayAt(999), dinsos: dayAt(500) });
    expect(reads).toBe(0);
  });

  it('given a past moment, then each node has its latest visit at or before it, never one from later', async () => {
    const visits = await inboxVisitsAsOf(store, ['bkd', 'dinsos', 'dinkes'], new Date(Date.parse(dayAt(300)) + 60_000));
    expect(Object.fromEntries(visits)).toEqual({ bkd: dayAt(300) });
  });

  it('given the very moment of a visit, then that visit counts', async () => {
    expect((await inboxVisitsAsOf(store, ['bkd', 'dinsos'], new Date(dayAt(500)))).get('dinsos')).toBe(dayAt(500));
  });

  it('given a moment before the first visit, then the node was never seen', async () => {
    expect((await inboxVisitsAsOf(store, ['bkd'], new Date(START - 1))).size).toBe(0);
  });

  it('given a thousand visits after the moment, then about log2 of them are read, not all', async () => {
    await inboxVisitsAsOf(store, ['bkd'], new Date(dayAt(3)));
    expect(reads).toBeLessThanOrEqual(Math.ceil(Math.log2(1000)) + 1);
  });
});
