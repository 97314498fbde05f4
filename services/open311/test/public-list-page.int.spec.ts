import { specDatabase, writeByEventAndByPage } from '@lapor/complaint-histories';
import type { SqlRunner } from '@lapor/sql';
import { interleavedLog } from '@lapor/testing';
import { createPublicListProjection } from '../src/public-list/projection';
import { publicListDdl } from '../src/public-list/tables';
import { randomHistories } from './public-histories';

// A page of events written at once leaves the public list as the same events written one at a
// time: a complaint submitted and made confidential within one page never listed, one listed in an
// earlier page and unlisted or closed in a later one, the instansi following a disposal.

async function tablesOf(db: SqlRunner, schema: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of ['folded', 'requests']) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${table} t`);
    tables[table] = rows.map(({ row }) => row).sort();
  }
  return tables;
}

describe('the public list written a page at a time', () => {
  const spec = specDatabase('open311_page');

  it.each([
    [20_251_205, 25],
    [20_251_206, 7],
  ])(
    'given random histories taking turns in the log (seed %i), when written in pages of %i and event by event, then both tables hold the same rows',
    async (seed, pageSize) => {
      const { db } = spec;
      const log = interleavedLog(randomHistories(80, seed));
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) await db.exec(`CREATE SCHEMA ${schema}; ${publicListDdl(schema)}`);

      const copies = { byEvent: createPublicListProjection({ schema: schemas[0] }), byPage: createPublicListProjection({ schema: schemas[1] }) };
      await writeByEventAndByPage(db, log, copies, pageSize);

      const one = await tablesOf(db, schemas[0]);
      // every complaint folded; some listed, some kept off the list
      expect(one.folded).toHaveLength(80);
      expect(one.requests!.length).toBeGreaterThan(10);
      expect(one.requests!.length).toBeLessThan(80);
      expect(await tablesOf(db, schemas[1])).toEqual(one);
    },
  );
});
