import { checkSchemaName, type SqlRunner } from '@lapor/sql';
import { forgetConsumer } from './apply-once';

export interface ReadModelTables {
  /** The schema the read model's tables live in, and nothing else. */
  readonly schema: string;
  /** The consumer name its applied positions are kept under. */
  readonly consumer: string;
  /**
   * The tables' shape. Another shape in the database means another version of the code made them:
   * they are dropped and filled again from the event log.
   */
  readonly shape: number;
  /** Creates the tables in `schema` (plain CREATE: the schema is new when this runs). */
  readonly ddl: (schema: string) => string;
  /** Runs first, every time (an extension the tables need). */
  readonly before?: string;
  /**
   * In-place upgrades, by the shape they start from: each brings the tables in `schema` from that
   * shape to the next one (the rows kept), in the same transaction. A shape with a path of upgrades
   * to `shape` is upgraded rather than dropped and refilled from the log (hours for a large log).
   */
  readonly upgrades?: Readonly<Record<number, (schema: string) => string>>;
}

/** The advisory lock a read model's tables are made under; its rebuild swaps them in under it too. */
export const readModelTablesLock = (schema: string): string => `lapor.${schema}.tables`;

/**
 * Makes a read model's tables. When the database holds another shape of them (or the schema without
 * its shape, as a hand-dropped table leaves it), the schema is dropped and the consumer's applied
 * positions forgotten, so its follower fills them again from the start of the log; answers
 * `reset: true` then. An older shape with upgrades up to this one is upgraded in place instead
 * (`upgradedFrom`). One transaction under an advisory lock, so processes starting together do
 * this once.
 */
export async function prepareReadModelTables(db: SqlRunner, model: ReadModelTables): Promise<{ reset: boolean; upgradedFrom?: number }> {
  const schema = checkSchemaName(model.schema);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [readModelTablesLock(schema)]);
    if (model.before) await tx.exec(model.before);
    const [existing] = await tx.query<{ has_schema: boolean; has_shape: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1) AS has_schema, to_regclass($2) IS NOT NULL AS has_shape`,
      [schema, `${schema}.shape`],
    );
    const shape = existing?.has_shape ? (await tx.query<{ shape: number }>(`SELECT shape FROM ${schema}.shape`))[0]?.shape : undefined;
    if (shape === model.shape) return { reset: false };
    if (shape !== undefined && upgradePath(model, shape)) {
      for (let from = shape; from < model.shape; from++) await tx.exec(model.upgrades![from]!(schema));
      await tx.query(`UPDATE ${schema}.shape SET shape = $1`, [model.shape]);
      return { reset: false, upgradedFrom: shape };
    }
    const reset = Boolean(existing?.has_schema);
    // a fresh schema with a consumer that remembers applying events would stay empty: forget them either way
    await forgetConsumer(tx, model.consumer);
    await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.shape (shape integer NOT NULL);
      ${model.ddl(schema)}`);
    await tx.query(`INSERT INTO ${schema}.shape (shape) VALUES ($1)`, [model.shape]);
    return { reset };
  });
}

/** Whether every shape from `shape` up to the model's has an upgrade. */
const upgradePath = (model: ReadModelTables, shape: number): boolean => {
  if (!Number.isInteger(shape) || shape >= model.shape) return false;
  for (let from = shape; from < model.shape; from++) if (!model.upgrades?.[from]) return false;
  return true;
};
