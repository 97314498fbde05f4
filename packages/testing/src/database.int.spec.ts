import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './database';

describe('a test database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('testing');
  });

  it('is a real, empty PostgreSQL database of its own', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ name: string; tables: string }>(
      "select current_database() as name, (select count(*) from pg_tables where schemaname = 'public') as tables",
    );
    await client.end();
    expect(rows[0]).toEqual({ name: db.name, tables: '0' });
  });

  it('is gone after drop', async () => {
    await db.drop();
    const client = new Client({ connectionString: db.url });
    await expect(client.connect()).rejects.toThrow(/does not exist/);
  });
});
