import { mapLimit } from '../src/map-limit';

describe('mapLimit', () => {
  it('given more items than the limit, then at most the limit run at once and the answers keep the items order', async () => {
    let running = 0;
    let most = 0;
    const items = [50, 10, 40, 20, 30, 0];
    const results = await mapLimit(items, 2, async (item) => {
      running++;
      most = Math.max(most, running);
      // finish out of order: the answer must still follow the items
      await new Promise((resolve) => setImmediate(resolve));
      if (item % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      running--;
      return item * 2;
    });

    expect(results).toEqual([100, 20, 80, 40, 60, 0]);
    expect(most).toBe(2);
  });

  it('given no items, then it answers none and calls nothing', async () => {
    const fn = jest.fn(async (item: number) => item);
    await expect(mapLimit([], 4, fn)).resolves.toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });

  it('given an item that fails, then the map rejects with its error', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('item 2 failed');
        return item;
      }),
    ).rejects.toThrow('item 2 failed');
  });
});
