import { specDatabase, writeByEventAndByPage } from '@lapor/complaint-histories';
import type { Actor } from '@lapor/domain';
import { interleavedLog } from '@lapor/testing';
import { createSystemListProjection } from '../src/integrations/system-list/projection';
import { systemListDdl } from '../src/integrations/system-list/tables';
import { randomHistories } from './system-histories';

// A page of events written at once leaves the systems' list as the same events written one at a
// time: a system's complaint submitted and moved on within one page, one listed in an earlier page
// and moved on in a later one, and everyone else's complaints left out.

const systems: Actor[] = [
  { role: 'integration', id: 'key-ntt-1', nodeId: 'ntt' },
  { role: 'integration', id: 'key-batam', nodeId: 'batam' },
  { role: 'integration', id: 'key-nasional', nodeId: null },
];

describe('the systems’ list written a page at a time', () => {
  const spec = specDatabase('system_list_page');

  it.each([
    [20_251_209, 25],
    [20_251_210, 7],
  ])(
    'given random histories taking turns in the log (seed %i), when written in pages of %i and event by event, then the list holds the same rows',
    async (seed, pageSize) => {
      const { db } = spec;
      const log = interleavedLog(randomHistories(80, seed, systems));
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) await db.exec(`CREATE SCHEMA ${schema}; ${systemListDdl(schema)}`);

      const copies = { byEvent: createSystemListProjection({ schema: schemas[0] }), byPage: createSystemListProjection({ schema: schemas[1] }) };
      await writeByEventAndByPage(db, log, copies, pageSize);

      const rows = async (schema: string) =>
        (await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.complaints t ORDER BY complaint_id`)).map(({ row }) => row);
      const one = await rows(schemas[0]);
      // the systems' complaints, not the others', some of them moved on since
      expect(one.length).toBeGreaterThan(10);
      expect(one.length).toBeLessThan(80);
      expect(one.some((row) => !row.includes(',ComplaintSubmitted,'))).toBe(true);
      expect(await rows(schemas[1])).toEqual(one);
    },
  );
});
