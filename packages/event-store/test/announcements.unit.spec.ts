import type { AppendListener, AppendSignal } from '../src/append-signal';
import type { ReadGlobalLog } from '../src/global-log';
import { LOG_START, type GlobalLogEvent, type LogPosition } from '../src/port';
import { GlobalLogFollower } from '../src/subscription';

// An append through a store is announced to its subscriptions twice: at once, in the process, and
// again when its own NOTIFY comes back. A subscription that has read the append does not read the
// log again for the echo (seven read sides in a process each read once more per append for it),
// and one still short of an announced append keeps reading until it has it.

const at = (transactionId: bigint, position: bigint): LogPosition => ({ transactionId, position });
const logged = (transactionId: bigint, position: bigint): GlobalLogEvent =>
  ({
    id: `e${position}`,
    streamId: 'complaint-a',
    streamVersion: position,
    position,
    type: 'T',
    data: {},
    metadata: {},
    recordedAt: new Date(),
    logPosition: at(transactionId, position),
  }) as GlobalLogEvent;

function world() {
  let listener: AppendListener = () => undefined;
  const signal = { subscribe: (heard: AppendListener) => ((listener = heard), () => undefined) } as unknown as AppendSignal;
  /** What the log shows a reader now. */
  const visible: GlobalLogEvent[] = [];
  const reads: string[] = [];
  const read: ReadGlobalLog = async (from, maxCount) => {
    reads.push(`${from.transactionId}:${from.position}`);
    const events = visible
      .filter(
        (event) =>
          event.logPosition.transactionId > from.transactionId ||
          (event.logPosition.transactionId === from.transactionId && event.logPosition.position > from.position),
      )
      .slice(0, maxCount);
    return { events, next: events.at(-1)?.logPosition ?? from };
  };
  return { signal, visible, reads, read, announce: (transactionId: bigint) => listener(transactionId) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('a subscription told of appends', () => {
  it('given an append it has read, when the same append is announced again (its own NOTIFY), then the log is not read again', async () => {
    const log = world();
    const delivered: string[] = [];
    const follower = new GlobalLogFollower(log.read, log.signal, {
      from: LOG_START,
      pollIntervalMs: 60_000,
      onPage: (events) => {
        delivered.push(...events.map((event) => event.id));
        // the echo arrives while the page is being applied
        log.announce(7n);
      },
    });
    await settle();
    log.visible.push(logged(7n, 1n));
    log.announce(7n);
    await settle();
    expect(delivered).toEqual(['e1']);
    // the first read found nothing, the second the append; the echo read nothing more
    expect(log.reads).toEqual(['0:0', '0:0']);
    await follower.close();
  });

  it('given an append announced before an older transaction has ended, when the older one is announced after it, then both are read once the log shows them', async () => {
    const log = world();
    const delivered: string[] = [];
    const follower = new GlobalLogFollower(log.read, log.signal, {
      from: LOG_START,
      pollIntervalMs: 60_000,
      onPage: (events) => void delivered.push(...events.map((event) => event.id)),
    });
    await settle();
    // transaction 9 committed while 8 still runs: the log shows neither yet
    log.announce(9n);
    await settle();
    expect(delivered).toEqual([]);
    log.visible.push(logged(8n, 2n), logged(9n, 1n));
    log.announce(8n);
    await settle();
    expect(delivered).toEqual(['e2', 'e1']);
    await follower.close();
  });
});
