import { complaintStream } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import type { SqlQueryable } from '@lapor/sql';
import { z } from 'zod';
import { INBOX_SCHEMA } from './tables';

/** How long a list waits for the read model to pass a write the caller just made, before saying so. */
export const READ_AFTER_WAIT_MS = 2_000;
const POLL_MS = 25;

/**
 * A write the caller has made and wants the list to show: `<complaintId>:<version>`, the complaint
 * id and the `version` the write answered with (also its ETag).
 */
export const ReadAfter = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d{1,18}$/i, 'expected <complaintId>:<version>, as a write answered them')
  .transform((text) => {
    const [complaintId, version] = text.split(':') as [string, string];
    return { complaintId: complaintId.toLowerCase(), version: BigInt(version) };
  });
export type ReadAfter = z.infer<typeof ReadAfter>;

/**
 * Waits, bounded, until the inbox read model holds the complaint at the version (or later).
 * 'never-written': the complaint's stream has no such version, so waiting would not help.
 */
export async function waitForWrite(
  db: SqlQueryable,
  store: EventStore,
  write: ReadAfter,
  waitMs = READ_AFTER_WAIT_MS,
): Promise<'passed' | 'still-catching-up' | 'never-written'> {
  const deadline = Date.now() + waitMs;
  let checkedStream = false;
  for (;;) {
    const [row] = await db.query<{ stream_version: string | number }>(`SELECT stream_version FROM ${INBOX_SCHEMA}.complaints WHERE complaint_id = $1`, [
      write.complaintId,
    ]);
    if (row && BigInt(row.stream_version) >= write.version) return 'passed';
    if (!checkedStream) {
      // one look at the stream (one index read): a version it never reached will not arrive
      const [event] = await store.readStream(complaintStream(write.complaintId), { fromVersion: write.version, maxCount: 1 });
      if (!event) return 'never-written';
      checkedStream = true;
    }
    if (Date.now() >= deadline) return 'still-catching-up';
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
