import { complaintStream } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from './problem';

// Read your own write on a list read from a read model: the list waits, bounded, until the read
// model has applied the caller's write, else says it is still catching up (never a silently stale list).

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

/** The last version of a complaint's stream the read model has applied (undefined: none yet). */
export type AppliedVersionOf = (complaintId: string) => Promise<bigint | undefined>;

/**
 * Waits, bounded, until the read model has applied the complaint at the version (or later).
 * 'never-written': the complaint's stream has no such version, so waiting would not help.
 */
export async function waitForWrite(
  appliedVersionOf: AppliedVersionOf,
  store: EventStore,
  write: ReadAfter,
  waitMs = READ_AFTER_WAIT_MS,
): Promise<'passed' | 'still-catching-up' | 'never-written'> {
  const deadline = Date.now() + waitMs;
  let checkedStream = false;
  for (;;) {
    const applied = await appliedVersionOf(write.complaintId);
    if (applied !== undefined && applied >= write.version) return 'passed';
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

/**
 * A list route's `readAfter`: returns once the read model has passed the write; otherwise 400
 * bad-read-after (no such version) or 503 read-model-catching-up with Retry-After.
 */
export async function readAfterWrite(
  reply: FastifyReply,
  options: { readonly store: EventStore; readonly write: ReadAfter; readonly appliedVersionOf: AppliedVersionOf; readonly list: string },
): Promise<void> {
  const { write } = options;
  const waited = await waitForWrite(options.appliedVersionOf, options.store, write);
  if (waited === 'never-written') {
    const detail = `readAfter: complaint ${write.complaintId} has no version ${write.version}.`;
    throw new HttpProblem(400, 'bad-read-after', 'Bad Request', detail, { errors: [{ field: 'querystring.readAfter', message: detail }] });
  }
  if (waited === 'still-catching-up') {
    void reply.header('retry-after', '1');
    throw new HttpProblem(
      503,
      'read-model-catching-up',
      'Still catching up',
      `${options.list} has not shown that write within ${READ_AFTER_WAIT_MS} ms; nothing is lost. Ask again in a moment.`,
    );
  }
}
