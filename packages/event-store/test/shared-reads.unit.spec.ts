import { shareConcurrentReads, type ReadGlobalLog } from '../src/global-log';
import { LOG_START, type GlobalLogPage, type LogPosition } from '../src/port';

// Every subscription of a process is woken by the same append and, caught up, asks for the same
// page: one round trip serves them all, and a later ask reads the database again.

describe('log reads shared by the subscriptions of one store', () => {
  const at = (transactionId: bigint, position: bigint): LogPosition => ({ transactionId, position });
  let reads: string[];
  let answer: (page: GlobalLogPage) => void;
  const read: ReadGlobalLog = (from, maxCount) => {
    reads.push(`${from.transactionId}:${from.position}:${maxCount}`);
    return new Promise((resolve) => (answer = resolve));
  };
  beforeEach(() => (reads = []));

  it('given nine subscriptions at one position, when they read at once, then the database is read once and each gets that page', async () => {
    const shared = shareConcurrentReads(read);
    const pages = Array.from({ length: 9 }, () => shared(LOG_START, 500));
    const page: GlobalLogPage = { events: [], next: LOG_START };
    answer(page);
    expect(await Promise.all(pages)).toEqual(Array.from({ length: 9 }, () => page));
    expect(reads).toHaveLength(1);
  });

  it('given two subscriptions at different positions or page sizes, when they read at once, then each read goes to the database', () => {
    const shared = shareConcurrentReads(read);
    void shared(at(5n, 10n), 500);
    void shared(at(5n, 11n), 500);
    void shared(at(5n, 11n), 100);
    expect(reads).toEqual(['5:10:500', '5:11:500', '5:11:100']);
  });

  it('given a shared read that has answered, when a subscription asks again, then it is read anew (an answer is never kept)', async () => {
    const shared = shareConcurrentReads(read);
    const first = shared(LOG_START, 500);
    answer({ events: [], next: LOG_START });
    await first;
    void shared(LOG_START, 500);
    expect(reads).toHaveLength(2);
  });

  it('given a shared read that fails, when it fails, then every subscription waiting on it is told, and the next ask reads again', async () => {
    const failing: ReadGlobalLog = () => {
      reads.push('failing');
      return Promise.reject(new Error('connection lost'));
    };
    const shared = shareConcurrentReads(failing);
    const pages = [shared(LOG_START, 500), shared(LOG_START, 500)];
    await expect(Promise.all(pages)).rejects.toThrow('connection lost');
    await expect(pages[1]).rejects.toThrow('connection lost');
    await expect(shared(LOG_START, 500)).rejects.toThrow('connection lost');
    expect(reads).toEqual(['failing', 'failing']);
  });
});
