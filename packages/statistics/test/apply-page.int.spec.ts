import { loadCalendar } from '@lapor/calendar';
import { createPGliteRunner, type SqlRunner } from '@lapor/sql';
import { interleavedLog } from '@lapor/testing';
import { PGlite } from '@electric-sql/pglite';
import { createStatisticsProjection, statisticsDdl } from '../src';
import { randomHistories } from './random-histories';
import { tree } from './story';

// A page of events written at once leaves every statistics table as the same events written one
// page each would: the page's fold in memory (two changes of a complaint at one moment, a complaint
// submitted and disposed in the same page, intervals closed by a later event of the page) is the
// one-event projection's, event after event.

const calendar = loadCalendar();
const TABLES = [
  'complaint_state',
  'recap_facts',
  'recap_changes',
  'recap_daily',
  'recap_monthly',
  'complaint_facts',
  'hop_facts',
  'admin_actions',
  'sla_breaches',
];

async function tablesOf(db: SqlRunner, schema: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${table} t`);
    tables[table] = rows.map(({ row }) => row).sort();
  }
  return tables;
}

describe('the statistics written a page at a time', () => {
  let pglite: PGlite;
  let db: SqlRunner;

  beforeAll(async () => {
    pglite = await PGlite.create();
    db = createPGliteRunner(pglite, { ownsDatabase: false });
  });
  afterAll(async () => pglite.close());

  it.each([20_251_201, 20_251_202])(
    'given random histories taking turns in the log (seed %i), when written in pages of 25 and event by event, then every table holds the same rows',
    async (seed) => {
      const log = interleavedLog(randomHistories(60, seed));
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) await db.exec(`CREATE SCHEMA ${schema}; ${statisticsDdl(schema)}`);
      const [byEvent, byPage] = schemas.map((schema) => createStatisticsProjection({ tree: () => tree, calendar: () => calendar, schema }));

      for (const event of log) await db.transaction((tx) => byEvent!.handle(event, tx));
      for (let start = 0; start < log.length; start += 25) await db.transaction((tx) => byPage!.handlePage!(log.slice(start, start + 25), tx));

      const one = await tablesOf(db, schemas[0]);
      const paged = await tablesOf(db, schemas[1]);
      expect(one.complaint_state).toHaveLength(60);
      expect(one.recap_changes!.length).toBeGreaterThan(0);
      expect(paged).toEqual(one);
    },
  );
});
