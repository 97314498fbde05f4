import { notOpened } from '../src/not-opened';

interface Database {
  readonly schema: string;
  query(sql: string): Promise<unknown[]>;
  readonly pool: { connect(): Promise<void> };
}

describe('a part that is not opened in this process', () => {
  it('can be passed around and taken apart, as a plugin does when it registers its routes', () => {
    const db = notOpened<Database>('the statistics database');
    const { pool } = db;
    expect(typeof pool.connect).toBe('function');
  });

  it('throws when used, naming the part and the path through it', () => {
    const db = notOpened<Database>('the statistics database');
    expect(() => db.query('select 1')).toThrow('the statistics database.query(): the statistics database is not opened in this process');
    expect(() => db.pool.connect()).toThrow('the statistics database.pool.connect()');
  });

  it('is not mistaken for a promise when awaited', async () => {
    const db = notOpened<Database>('the statistics database');
    await expect(Promise.resolve(db)).resolves.toBe(db);
  });
});
