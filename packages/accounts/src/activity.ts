import type { EventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { STAFF_ACCOUNTS_STREAM } from './staff-accounts';

// Staff activity the statistics report beside the complaints: when a unit's staff last opened
// their inbox ("Terakhir Dilihat") and when an administrator last signed in ("Login terakhir").
// Each is a stream per node or account, so "the last time" is one read of its last event.

export const unitActivityStream = (nodeId: string): string => `unit-activity-${nodeId}`;
export const staffActivityStream = (accountId: string): string => `staff-activity-${accountId}`;

export const INBOX_OPENED = 'InboxOpened';
export const STAFF_SIGNED_IN = 'StaffSignedIn';

export async function recordSignIn(store: EventStore, accountId: string, at: string): Promise<void> {
  await store.appendToStream(staffActivityStream(accountId), [{ id: randomUUID(), type: STAFF_SIGNED_IN, data: { accountId, at } }]);
}

const atOf = (data: unknown): string | null => {
  const at = (data as { at?: unknown } | null)?.at;
  return typeof at === 'string' ? at : null;
};

/** When each account last signed in; accounts never signed in are absent. */
export async function lastSignIns(store: EventStore, accountIds: readonly string[]): Promise<Map<string, string>> {
  const latest = await store.readLatest(accountIds.map(staffActivityStream));
  return new Map(latest.flatMap((event) => (atOf(event.data) ? [[event.streamId.slice('staff-activity-'.length), atOf(event.data)!] as const] : [])));
}

/** Account id → username, for tables that name administrators. */
export async function accountNames(store: EventStore): Promise<Map<string, string>> {
  const events = await store.readStream(STAFF_ACCOUNTS_STREAM);
  return new Map(
    events.flatMap((event) => {
      const data = event.data as { accountId?: unknown; username?: unknown };
      return typeof data.accountId === 'string' && typeof data.username === 'string' ? [[data.accountId, data.username] as const] : [];
    }),
  );
}
