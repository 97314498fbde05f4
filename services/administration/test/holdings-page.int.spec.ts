import { eventTypesIn, randomHistories, specDatabase, writeByEventAndByPage } from '@lapor/complaint-histories';
import { interleavedLog } from '@lapor/testing';
import { createHoldingsHandler, holdingsDdl } from '../src/organisation/holdings';

// A page of events written at once leaves the holdings as the same events written one at a time: a
// complaint submitted and disposed within one page, one handed down in one page and closed in a
// later one. And the nodes that received a complaint are heard in the same order.

describe('the holdings written a page at a time', () => {
  const spec = specDatabase('holdings_page');

  it.each([
    [20_251_207, 25],
    [20_251_208, 7],
  ])(
    'given random histories taking turns in the log (seed %i), when written in pages of %i and event by event, then the holdings and the nodes heard are the same',
    async (seed, pageSize) => {
      const { db } = spec;
      const histories = randomHistories(80, seed);
      // handed on and closed, not only submitted
      expect(eventTypesIn(histories)).toMatchObject({
        ComplaintDisposed: expect.any(Number),
        ComplaintReturned: expect.any(Number),
        ComplaintArchived: expect.any(Number),
      });
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) await db.exec(`CREATE SCHEMA ${schema}; ${holdingsDdl(schema)}`);
      const heard: [string[], string[]] = [[], []];

      await writeByEventAndByPage(
        db,
        interleavedLog(histories),
        {
          byEvent: createHoldingsHandler((nodeId) => heard[0].push(nodeId), { schema: schemas[0] }),
          byPage: createHoldingsHandler((nodeId) => heard[1].push(nodeId), { schema: schemas[1] }),
        },
        pageSize,
      );

      const rows = async (schema: string) =>
        (await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.holdings t ORDER BY complaint_id`)).map(({ row }) => row);
      const one = await rows(schemas[0]);
      expect(one).toHaveLength(80);
      expect(one.filter((row) => row.endsWith(',f)')).length).toBeGreaterThan(0);
      expect(await rows(schemas[1])).toEqual(one);
      expect(heard[1]).toEqual(heard[0]);
    },
  );
});
