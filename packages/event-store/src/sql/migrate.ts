import { SCHEMA_LOCK_CLASS, type SqlRunner } from '@lapor/sql';
import { quotedSchema } from './identifiers';
import { loadMigrations, renderMigration, type Migration } from './migrations';

/**
 * Brings the schema up to date in one transaction. The advisory lock is taken first, before even
 * CREATE SCHEMA, so two processes starting at once queue up and the second finds the work done.
 */
export async function migrate(runner: SqlRunner, schema: string, migrations: readonly Migration[] = loadMigrations()): Promise<void> {
  const target = quotedSchema(schema);
  await runner.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SCHEMA_LOCK_CLASS, schema]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS ${target};
       CREATE TABLE IF NOT EXISTS ${target}.schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       );`,
    );
    const applied = new Map(
      (await tx.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${target}.schema_migrations`)).map((row) => [
        Number(row.version),
        row.checksum,
      ]),
    );
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`event store migration ${migration.version}_${migration.name} changed after it was applied to schema ${schema}`);
        }
        continue;
      }
      await tx.exec(renderMigration(migration, schema));
      await tx.query(`INSERT INTO ${target}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
    }
  });
}
