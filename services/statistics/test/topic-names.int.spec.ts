import { loadCalendar } from '@lapor/calendar';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { Actor, CategoryCommand } from '@lapor/domain';
import { createPostgresEventStore, type EventStore } from '@lapor/event-store';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createStatisticsProjection, prepareStatisticsTables, STATISTICS_SCHEMA } from '@lapor/statistics';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { CategoryCatalog } from '@lapor/workflow';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { appendHistories } from '../../../packages/statistics/test/random-histories';
import { day, Story, tree } from '../../../packages/statistics/test/story';
import { topicTable, type TableSources } from '../src/tables';

// The topic recap reads the category a complaint was verified into by its id, named as the
// category was named in the period asked: renaming "Jalan Rusak" in 2025 leaves the 2024 topic
// table as it was published. Complaints verified with free text before the taxonomy keep their text.

const calendar = loadCalendar();
const MARCH_2024 = { from: '2024-03-01', to: '2024-03-31' };
const MARCH_2025 = { from: '2025-03-01', to: '2025-03-31' };
const nasional: Actor = { role: 'admin_nasional', id: 'admin-nasional', nodeId: 'nasional' };

describe('the topic recap’s category names', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let db: SqlRunner;
  let sources: TableSources;

  const record = async (now: string, ...commands: Omit<CategoryCommand, 'metadata'>[]): Promise<void> => {
    const metadata = { now, actor: nasional, actorInstansiId: null };
    await new CategoryCatalog(store).executeAll(
      commands.map((command) => ({ ...command, metadata }) as CategoryCommand),
      { commandId: randomUUID() },
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase('statistics-topic-names');
    pool = new Pool({ connectionString: database.url, max: 4 });
    store = await createPostgresEventStore({ pool });
    db = createPgRunner(pool, { ownsPool: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);

    // given the national taxonomy of January 2024
    await record(
      day('2024-01-05'),
      { type: 'AddCategory', data: { categoryId: 'infrastruktur', name: 'Infrastruktur', parentId: null, instansiId: null } },
      { type: 'AddCategory', data: { categoryId: 'jalan-rusak', name: 'Jalan Rusak', parentId: 'infrastruktur', instansiId: null } },
    );
    // and complaints of March 2024: two verified into jalan-rusak, one with the free text of before the taxonomy
    // and one of March 2025 into the same category
    const verified = [
      new Story('jalan-kupang', day('2024-03-04')).verify(day('2024-03-04'), 'jalan-rusak').dispose('pupr', day('2024-03-04')),
      new Story('jalan-soe', day('2024-03-05')).verify(day('2024-03-05'), 'jalan-rusak').dispose('pupr', day('2024-03-05')),
      new Story('pungli-sma', day('2024-03-06')).verify(day('2024-03-06'), 'PUNGLI').dispose('dikbud', day('2024-03-06')),
      new Story('jalan-ende', day('2025-03-04')).verify(day('2025-03-04'), 'jalan-rusak').dispose('pupr', day('2025-03-04')),
    ];
    await appendHistories(
      store,
      verified.map((story) => story.events),
    );
    // and the category renamed in February 2025
    await record(day('2025-02-01'), { type: 'RenameCategory', data: { categoryId: 'jalan-rusak', name: 'Kerusakan Jalan' } });

    const following = followEventLog(store, db, createStatisticsProjection({ tree: () => tree, calendar: () => calendar }), {
      onError: (error) => {
        throw error;
      },
    });
    // caught up when every verified complaint's category is counted
    for (;;) {
      const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${STATISTICS_SCHEMA}.complaint_facts WHERE category IS NOT NULL`);
      if (Number(row!.n) === verified.length) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await following.close();

    const catalog = new CategoryCatalog(store);
    sources = { db, store, tree, treeAt: () => tree, categories: async () => (await catalog.latest()).taxonomy };
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('given a category renamed in 2025, then the March 2024 recap still names it as it was, counted by its id', async () => {
    const topics = await topicTable(sources, 'ntt', MARCH_2024);
    expect(topics.categories).toEqual([
      { category: 'Jalan Rusak', categoryId: 'jalan-rusak', count: 2 },
      { category: 'PUNGLI', categoryId: null, count: 1 },
    ]);
    expect(topics.rows.find((row) => row.nodeId === 'pupr')?.topics).toEqual([{ category: 'Jalan Rusak', categoryId: 'jalan-rusak', count: 2 }]);
  });

  it('given the same category in a period after the rename, then that recap reads its new name', async () => {
    const topics = await topicTable(sources, 'ntt', MARCH_2025);
    expect(topics.categories).toEqual([{ category: 'Kerusakan Jalan', categoryId: 'jalan-rusak', count: 1 }]);
  });

  it('given a complaint verified with free text before the taxonomy, then its unit’s topics show that text as typed', async () => {
    const topics = await topicTable(sources, 'ntt', MARCH_2024);
    expect(topics.rows.find((row) => row.nodeId === 'dikbud')?.topics).toEqual([{ category: 'PUNGLI', categoryId: null, count: 1 }]);
  });
});
