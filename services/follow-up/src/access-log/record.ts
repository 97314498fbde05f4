import { appendOrigin, originOf, type EventStore } from '@lapor/event-store';
import type { StaffActor } from '@lapor/http-kit';
import { randomUUID } from 'node:crypto';

// UU PDP 27/2022: the controller accounts for every access to personal data. Each time a person
// reads (or erases) a reporter's identity, one event is appended to a stream of its own, holding who,
// when, which complaint and why: never the identity itself. The stream is the record; the log
// (GET /personal-data/access-log) pages it backwards by stream version, with no read model to trail.

export const ACCESS_LOG_STREAM = 'personal-data-access';
export const ACCESS_EVENT = 'PersonalDataAccessed';

/** What was done with the identity. */
export type AccessPurpose = 'detail_view' | 'erasure';

export interface IdentityAccess {
  readonly complaintId: string;
  readonly purpose: AccessPurpose;
  /** Required of admins; a liaison reads it to do the job it was disposed, without one. */
  readonly reason: string | null;
  readonly by: Pick<StaffActor, 'id' | 'role' | 'nodeId'>;
  readonly at: string;
}

/** Appends the access, before the identity leaves: a read that cannot be recorded is not answered. */
export async function recordIdentityAccess(store: EventStore, access: IdentityAccess): Promise<void> {
  const data = {
    complaintId: access.complaintId,
    purpose: access.purpose,
    reason: access.reason,
    by: { id: access.by.id, role: access.by.role, nodeId: access.by.nodeId },
    at: access.at,
  };
  // 'any': concurrent readers never conflict, the store orders them
  await store.appendToStream(ACCESS_LOG_STREAM, [{ id: randomUUID(), type: ACCESS_EVENT, data, metadata: appendOrigin() }], { expectedVersion: 'any' });
}

export interface AccessLogEntry extends IdentityAccess {
  /** Continue with `before=<cursor>` for the entries older than this one. */
  readonly cursor: string;
  readonly clientAddress: string | null;
}

/** A page of the access log, newest first, continued by keyset (the stream version), never by offset. */
export async function accessLogPage(
  store: EventStore,
  request: { before: bigint | null; limit: number },
): Promise<{ entries: AccessLogEntry[]; next: string | null }> {
  const [latest] = await store.readLatest([ACCESS_LOG_STREAM]);
  if (!latest) return { entries: [], next: null };
  const end = request.before === null || request.before > latest.streamVersion + 1n ? latest.streamVersion + 1n : request.before;
  const from = end - BigInt(request.limit) > 0n ? end - BigInt(request.limit) : 0n;
  if (end <= from) return { entries: [], next: null };
  const events = await store.readStream(ACCESS_LOG_STREAM, { fromVersion: from, maxCount: Number(end - from) });
  const entries = events
    .filter((event) => event.type === ACCESS_EVENT)
    .reverse()
    .map((event) => {
      const data = event.data as Omit<IdentityAccess, 'by'> & { by: IdentityAccess['by'] };
      return {
        cursor: event.streamVersion.toString(),
        complaintId: data.complaintId,
        purpose: data.purpose,
        reason: data.reason,
        by: { id: data.by.id, role: data.by.role, nodeId: data.by.nodeId },
        at: data.at,
        clientAddress: originOf(event.metadata)?.clientAddress ?? null,
      };
    });
  return { entries, next: from > 0n ? from.toString() : null };
}
