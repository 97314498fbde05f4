import { prepareReadModelTables } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/sql';

export const AUDIT_SCHEMA = 'audit';
/** The consumer name the read model goes by (readiness, table resets). */
export const AUDIT_TRAIL = 'audit-trail';
// 2: category changes, and whose category each is
const AUDIT_SHAPE = 2;

/**
 * The trail, one row per administrative change, keyed by its global position (the keyset a page
 * continues from), and where the follower stands in the log. The nodes a change touched are an
 * array with a GIN index: an instansi admin's page is the rows touching any node of its subtree.
 * `category_owners`: the instansi each of its own categories was added for, which the events of
 * the category's later changes do not name.
 */
const ddl = (schema: string): string => `
  CREATE TABLE ${schema}.followed (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    transaction_id bigint NOT NULL,
    position bigint NOT NULL
  );
  CREATE TABLE ${schema}.trail (
    position bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    actor_id text,
    actor_role text,
    actor_node_id text,
    client_address text,
    action text NOT NULL,
    subject text NOT NULL,
    node_ids text[] NOT NULL,
    detail jsonb NOT NULL
  );
  CREATE INDEX trail_nodes ON ${schema}.trail USING gin (node_ids);
  CREATE TABLE ${schema}.category_owners (
    category_id text PRIMARY KEY,
    instansi_id text NOT NULL
  );`;

export async function prepareAuditTables(db: SqlRunner): Promise<{ reset: boolean }> {
  return prepareReadModelTables(db, { schema: AUDIT_SCHEMA, consumer: AUDIT_TRAIL, shape: AUDIT_SHAPE, ddl });
}
