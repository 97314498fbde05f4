import { AUDIT_SCHEMA, AUDIT_TRAIL, HOLDINGS_READ_SIDE, HOLDINGS_SCHEMA } from '@lapor/administration';
import { forgetConsumer, prepareAppliedPositions } from '@lapor/consumer-kit';
import { INBOX_PROJECTION, INBOX_SCHEMA, INBOX_SHADOW_SCHEMA } from '@lapor/follow-up';
import { SYSTEM_LIST_PROJECTION, SYSTEM_LIST_SCHEMA } from '@lapor/intake';
import { PUBLIC_LIST_PROJECTION, PUBLIC_LIST_SCHEMA } from '@lapor/open311';
import type { SqlRunner } from '@lapor/sql';
import { PROJECTION_NAME, SHADOW_SCHEMA, STATISTICS_SCHEMA } from '@lapor/statistics';

/**
 * The read models a backup leaves out and a restore makes again from the log, never trusted from a
 * dump: each one's schemas (its shadow too, a rebuild's leftovers) and the consumer its applied
 * positions are kept under. What stays in a backup is what the log cannot give back: the log itself,
 * the vault's wrapped keys, the outboxes' record of what was already sent (a refilled SMS outbox
 * would text every reporter again), the timers (fired or not), checkpoints and idempotency records.
 */
export const DISCARDED_READ_MODELS = [
  { consumer: INBOX_PROJECTION, schemas: [INBOX_SCHEMA, INBOX_SHADOW_SCHEMA] },
  { consumer: PUBLIC_LIST_PROJECTION, schemas: [PUBLIC_LIST_SCHEMA] },
  { consumer: SYSTEM_LIST_PROJECTION, schemas: [SYSTEM_LIST_SCHEMA] },
  { consumer: PROJECTION_NAME, schemas: [STATISTICS_SCHEMA, SHADOW_SCHEMA] },
  { consumer: HOLDINGS_READ_SIDE, schemas: [HOLDINGS_SCHEMA] },
  // its position is kept in its own schema
  { consumer: AUDIT_TRAIL, schemas: [AUDIT_SCHEMA] },
] as const;

export const discardedSchemas = (): string[] => DISCARDED_READ_MODELS.flatMap((model) => [...model.schemas]);

/** Drops the discarded read models and forgets their consumers, so whatever feeds them starts from the log's start. */
export async function discardReadModels(db: SqlRunner): Promise<void> {
  await prepareAppliedPositions(db);
  await db.transaction(async (tx) => {
    for (const model of DISCARDED_READ_MODELS) {
      await forgetConsumer(tx, model.consumer);
      for (const schema of model.schemas) await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
}
