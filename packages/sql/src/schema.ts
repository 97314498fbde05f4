import type { SqlRunner } from './runner';

// Schema names end up in SQL text and in NOTIFY channel names, so only plain lower-case
// identifiers are accepted: nothing to escape, and `<schema>_appended` stays under 63 bytes.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`schema name must match ${String(SCHEMA_NAME)}, got ${JSON.stringify(schema)}`);
  return schema;
}

/** The schema as it appears in SQL: `"eventstore"`. */
export const quotedSchema = (schema: string): string => `"${checkSchemaName(schema)}"`;

/**
 * First key of the two-int advisory lock ("LAPR") every change to a schema's tables takes; the
 * second is the schema's hash, so schemas change independently and two processes starting at once
 * queue up, the second finding the work done.
 */
export const SCHEMA_LOCK_CLASS = 0x4c415052;

/**
 * For the small tables packages keep beside the events (checkpoints, data keys, read models):
 * runs idempotent DDL (`CREATE … IF NOT EXISTS`) in one transaction under the schema's advisory
 * lock (the one the event store's migrations take too), so processes starting together create each
 * table once.
 */
export async function ensureSchema(runner: SqlRunner, schema: string, ddl: string): Promise<void> {
  await runner.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SCHEMA_LOCK_CLASS, schema]);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema(schema)};\n${ddl}`);
  });
}
