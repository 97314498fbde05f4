import type { SqlRunner } from '@lapor/sql';
import { interleavedLog } from '@lapor/testing';
import { createInboxProjection } from '../src/inbox/projection';
import { inboxKeys, inboxTablesDdl } from '../src/inbox/tables';
import { eventTypesIn, randomHistories, specDatabase, tree, writeByEventAndByPage } from '@lapor/complaint-histories';

// A page of events written at once leaves the inbox as the same events written one page each would:
// a complaint submitted and handed on within one page, a complaint whose earlier events came in an
// earlier page, the lexicon counting each title once, the counts following the rows.

const TABLES = ['complaints', 'visibility', 'visibility_counts', 'title_words', 'searchable'];

async function tablesOf(db: SqlRunner, schema: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of TABLES) {
    // a count that went up and back down within a page was never written: a group counted 0 is a group not counted
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${table} t${table === 'visibility_counts' ? ' WHERE n <> 0' : ''}`);
    tables[table] = rows.map(({ row }) => row).sort();
  }
  return tables;
}

describe('the inbox written a page at a time', () => {
  const spec = specDatabase('inbox_page');

  it.each([20_251_203, 20_251_204])(
    'given random histories taking turns in the log (seed %i), when written in pages of 25 and event by event, then every table holds the same rows',
    async (seed) => {
      const { db } = spec;
      await db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const histories = randomHistories(60, seed);
      // complaints handed on (each a new holder, a new visibility) and followed up, not only submitted
      expect(eventTypesIn(histories)).toMatchObject({ ComplaintDisposed: expect.any(Number), FollowUpPosted: expect.any(Number) });
      const log = interleavedLog(histories);
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) {
        await db.exec(`CREATE SCHEMA ${schema}; ${inboxTablesDdl(schema)}`);
        for (const statement of inboxKeys(schema)) await db.exec(statement);
      }
      const copies = {
        byEvent: createInboxProjection({ tree: () => tree, schema: schemas[0] }),
        byPage: createInboxProjection({ tree: () => tree, schema: schemas[1] }),
      };
      await writeByEventAndByPage(db, log, copies, 25);

      const one = await tablesOf(db, schemas[0]);
      const paged = await tablesOf(db, schemas[1]);
      expect(one.complaints!.length).toBeGreaterThan(30);
      expect(one.title_words!.length).toBeGreaterThan(0);
      expect(paged).toEqual(one);
    },
  );
});
