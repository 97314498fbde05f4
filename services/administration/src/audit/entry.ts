import { ADMINISTRATIVE_ACCOUNT_EVENTS, parseStaffAccountEvent, STAFF_ACCOUNTS_STREAM } from '@lapor/accounts';
import { originOf, type RecordedEvent } from '@lapor/event-store';

/** The organisation's stream (OrganisationDirectory's): named here, not imported, so the audit needs no workflow. */
export const ORGANISATION_STREAM = 'organisation';
export const AUDITED_STREAMS: ReadonlySet<string> = new Set([ORGANISATION_STREAM, STAFF_ACCOUNTS_STREAM]);

/** One administrative change as the audit trail shows it. */
export interface AuditEntry {
  readonly position: bigint;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string; readonly nodeId: string | null } | null;
  readonly clientAddress: string | null;
  readonly action: string;
  /** The account or node changed. */
  readonly subject: string;
  /** Every node the change touched (where an account was, where it went; a node and its parents): who may read it goes by these. */
  readonly nodeIds: readonly string[];
  /** What changed, without secrets (password hashes, reset code hashes). */
  readonly detail: Record<string, unknown>;
}

const SECRET_FIELDS = new Set(['passwordHash', 'codeHash']);
const STAMP_FIELDS = new Set(['by', 'at']);

/** The node ids an event's data names: its `nodeId`, `parentId`, `previousParentId`, `…NodeId` fields (and lists of them). */
function nodeIdsIn(data: Record<string, unknown>): string[] {
  const ids = Object.entries(data).flatMap(([key, value]) => {
    if (!/(^nodeId|^parentId|NodeId|ParentId)s?$/.test(key)) return [];
    if (typeof value === 'string') return [value];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  });
  return [...new Set(ids)];
}

function actorOf(by: unknown): AuditEntry['actor'] {
  const actor = by as { id?: unknown; role?: unknown; nodeId?: unknown } | null | undefined;
  if (typeof actor?.id !== 'string' || typeof actor.role !== 'string') return null;
  return { id: actor.id, role: actor.role, nodeId: typeof actor.nodeId === 'string' ? actor.nodeId : null };
}

/**
 * The audit entry for an event of the organisation or the staff accounts, when it is an
 * administrative change; undefined otherwise (a sign-out, a rehash, a first start's seed with no actor).
 */
export function auditEntryOf(event: RecordedEvent): AuditEntry | undefined {
  if (!AUDITED_STREAMS.has(event.streamId)) return undefined;
  let data: Record<string, unknown>;
  if (event.streamId === STAFF_ACCOUNTS_STREAM) {
    const parsed = parseStaffAccountEvent(event.type, event.data);
    if (!parsed || !ADMINISTRATIVE_ACCOUNT_EVENTS.has(parsed.type)) return undefined;
    data = parsed.data as Record<string, unknown>;
  } else data = (event.data ?? {}) as Record<string, unknown>;
  const actor = actorOf(data.by);
  if (!actor) return undefined;
  const subject = typeof data.accountId === 'string' ? data.accountId : typeof data.nodeId === 'string' ? data.nodeId : event.streamId;
  const detail = Object.fromEntries(Object.entries(data).filter(([key]) => !SECRET_FIELDS.has(key) && !STAMP_FIELDS.has(key)));
  return {
    position: event.position,
    at: typeof data.at === 'string' ? data.at : event.recordedAt.toISOString(),
    actor,
    clientAddress: originOf(event.metadata)?.clientAddress ?? null,
    action: event.type,
    subject,
    nodeIds: nodeIdsIn(data),
    detail,
  };
}
