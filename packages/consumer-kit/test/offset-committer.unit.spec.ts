import { OffsetCommitter, type PartitionOffset } from '../src/offset-committer';

// What a consumer has applied reaches the broker about once a second, in one request for all its
// partitions, each at the latest offset applied; a partition handed to another member is not
// committed by this one; a failed commit loses nothing the next one does not carry.

describe('committing applied offsets', () => {
  let sent: PartitionOffset[][];
  let failNext: boolean;
  let committer: OffsetCommitter;
  const errors: unknown[] = [];

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-03-03T02:00:00Z') });
    sent = [];
    failNext = false;
    committer = new OffsetCommitter(
      async (offsets) => {
        if (failNext) {
          failNext = false;
          throw new Error('coordinator not available');
        }
        sent.push([...offsets]);
      },
      1_000,
      (error) => errors.push(error),
    );
  });
  afterEach(() => jest.useRealTimers());

  it('given events applied on three partitions within a second, then nothing is sent until the second is up, and then one request with each partition’s latest offset', async () => {
    committer.note(0, '5');
    committer.note(1, '9');
    committer.note(0, '6');
    await committer.commitIfDue();
    expect(sent).toEqual([]);

    jest.setSystemTime(Date.now() + 1_000);
    committer.note(2, '1');
    await committer.commitIfDue();

    expect(sent).toEqual([
      [
        { partition: 0, offset: '6' },
        { partition: 1, offset: '9' },
        { partition: 2, offset: '1' },
      ],
    ]);
  });

  it('given a consumer gone quiet, then its timer commits what it applied last', async () => {
    committer.start();
    committer.note(4, '12');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([[{ partition: 4, offset: '12' }]]);
    await committer.stop();
  });

  it('given a partition that went to another member, then this one does not commit it', async () => {
    committer.note(0, '3');
    committer.note(1, '7');
    committer.forget(1);
    await committer.flush();
    expect(sent).toEqual([[{ partition: 0, offset: '3' }]]);
  });

  it('given a commit the broker refused, then the error is the caller’s and the next commit carries the later offsets', async () => {
    committer.note(0, '3');
    failNext = true;
    await expect(committer.flush()).rejects.toThrow('coordinator not available');
    committer.note(0, '4');
    await committer.flush();
    expect(sent).toEqual([[{ partition: 0, offset: '4' }]]);
  });

  it('given a stop, then what is pending is sent, and nothing when nothing is', async () => {
    committer.note(3, '2');
    await committer.stop();
    await committer.stop();
    expect(sent).toEqual([[{ partition: 3, offset: '2' }]]);
  });
});
