import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createAppender } from '../src/append';
import { describeEventStoreContract, type StoreUnderTest } from '../src/contract';
import { createPostgresEventStore } from '../src/drivers/postgres';
import { DEFAULT_GROUP_COMMIT } from '../src/group-commit';
import type { SqlQueryable } from '@lapor/sql';

// A PostgreSQL server (found by the test setup); each store gets a schema of its own in this file's database.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('event_store');
});
afterAll(() => database.drop());

function onClient(client: Client): SqlQueryable {
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as Row[],
    exec: async (sql: string) => void (await client.query(sql)),
  };
}

async function createStore(): Promise<StoreUnderTest> {
  const schema = `es_${randomBytes(5).toString('hex')}`;
  const store = await createPostgresEventStore({ connectionString: database.url, schema, poolSize: 12, groupCommit: DEFAULT_GROUP_COMMIT });
  return {
    store,
    openSibling: () => createPostgresEventStore({ connectionString: database.url, schema, poolSize: 2 }),
    async beginAppend(streamId, events, expectedVersion) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await client.query('BEGIN');
      await createAppender(onClient(client), schema)(streamId, events, expectedVersion);
      return {
        async commit() {
          await client.query('COMMIT');
          await client.end();
        },
      };
    },
    async readPositionsAfter(after) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ p: string }>(
          `SELECT global_position::text AS p FROM "${schema}".events WHERE global_position > $1 ORDER BY global_position`,
          [after.toString()],
        );
        return rows.map((row) => BigInt(row.p));
      } finally {
        await client.end();
      }
    },
  };
}

describe('event store on a PostgreSQL server (pg driver)', () => {
  describeEventStoreContract({ createStore, load: { writers: 8, events: 30_000, streams: 40, maxBatch: 10 } });

  it('given two processes starting on an empty schema at once, then both open it and the tables are created once', async () => {
    const schema = `es_${randomBytes(5).toString('hex')}`;
    const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresEventStore({ connectionString: database.url, schema, poolSize: 1 })));
    await stores[0]!.appendToStream('complaint-1', [{ id: '7b0c4a4e-1d55-4a1e-9b7a-0c5d0f0e8a11', type: 'T', data: {} }]);
    expect(await stores[3]!.readStream('complaint-1')).toHaveLength(1);
    await Promise.all(stores.map((store) => store.close()));
  });
});
