import type { EventStore, RecordedEvent } from '@lapor/event-store';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

// Sign-outs, kept out of the account stream. Written there, every sign-out of every account
// stayed in the one stream each process folds from its start and every administrator's command
// is decided against (and races with: a sign-out a moment before made the admin's append a 409),
// for ever, though a signed-out session matters only until its token would have expired anyway.
//
// So each account has a stream of its own, and each sign-out's event carries the account's whole
// list of sessions signed out whose tokens have not expired yet (those expired are left out as it
// is written): the latest event alone answers "is this session ended?", found by one index probe
// however long the stream grows, and nothing is folded at start. The list is as long as the
// sessions one account signed out within one token lifetime. The cost is that probe on each
// authenticated request, in the same statement as the account stream's latest version (session()).

export const staffSessionsStream = (accountId: string): string => `staff-sessions-${accountId}`;
export const STAFF_SESSIONS_ENDED = 'StaffSessionsEnded';

const SessionsEnded = z.object({
  accountId: z.string(),
  /** Session id → when its token expires (ISO 8601). */
  ended: z.record(z.string(), z.string()),
  at: z.string(),
});

/** The account's sessions signed out whose tokens have not expired, as stored now. */
async function latestEnded(store: EventStore, accountId: string): Promise<{ ended: Record<string, string>; version: bigint | null }> {
  const [latest] = await store.readLatest([staffSessionsStream(accountId)]);
  if (!latest) return { ended: {}, version: null };
  const parsed = SessionsEnded.safeParse(latest.data);
  return { ended: parsed.success ? parsed.data.ended : {}, version: latest.streamVersion };
}

/** Whether the session is among those ended, given the latest event of its account's sessions stream (undefined: none). */
export function isEndedIn(latest: RecordedEvent | undefined, sessionId: string): boolean {
  const parsed = latest ? SessionsEnded.safeParse(latest.data) : undefined;
  return parsed?.success === true && Object.hasOwn(parsed.data.ended, sessionId);
}

/** Ends one session of the account; a concurrent sign-out of the same account is read and kept, not lost. */
export async function endSession(store: EventStore, input: { accountId: string; sessionId: string; until: string; at: string }): Promise<void> {
  const { accountId, sessionId, until, at } = input;
  for (let attempt = 1; ; attempt += 1) {
    const { ended, version } = await latestEnded(store, accountId);
    const still = Object.fromEntries(Object.entries(ended).filter(([, expires]) => Date.parse(expires) > Date.parse(at)));
    still[sessionId] = until;
    try {
      await store.appendToStream(staffSessionsStream(accountId), [{ id: randomUUID(), type: STAFF_SESSIONS_ENDED, data: { accountId, ended: still, at } }], {
        expectedVersion: version === null ? 'no_stream' : version,
      });
      return;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= 5) throw error;
    }
  }
}
