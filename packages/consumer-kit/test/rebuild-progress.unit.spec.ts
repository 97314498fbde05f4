import { progressLine } from '../src/rebuild-progress';

describe('the rebuild progress line', () => {
  it('given half the events read in 10 s, then it shows half a bar, the rate and the time left', () => {
    expect(progressLine({ events: 500_000, expected: 1_000_000, phase: 'reading' }, 10_000)).toBe(
      '[###############...............] 50% 500,000/1,000,000 events 50,000/s ETA 10 s (reading)',
    );
  });

  it('given no estimate of the total, then it still reports the count and rate, without an ETA', () => {
    expect(progressLine({ events: 1_000, expected: 0, phase: 'writing' }, 1_000)).toBe(
      '[..............................] 0% 1,000/0 events 1,000/s ETA - (writing)',
    );
  });
});
