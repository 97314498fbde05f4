import { ADMINISTRATIVE_ACCOUNT_EVENTS, parseStaffAccountEvent, STAFF_ACCOUNTS_STREAM } from '@lapor/accounts';
import { CATEGORY_STREAM, CategoryEvent } from '@lapor/domain';
import { originOf, type RecordedEvent } from '@lapor/event-store';

/** The organisation's stream (OrganisationDirectory's): named here, not imported, so the audit needs no workflow. */
export const ORGANISATION_STREAM = 'organisation';
export const AUDITED_STREAMS: ReadonlySet<string> = new Set([ORGANISATION_STREAM, STAFF_ACCOUNTS_STREAM, CATEGORY_STREAM]);

/** One administrative change as the audit trail shows it. */
export interface AuditEntry {
  readonly position: bigint;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string; readonly nodeId: string | null } | null;
  readonly clientAddress: string | null;
  readonly action: string;
  /** The account, node or category changed. */
  readonly subject: string;
  /** Every node the change touched (where an account was, where it went; a node and its parents): who may read it goes by these. */
  readonly nodeIds: readonly string[];
  /** What changed, without secrets (password hashes, reset code hashes). */
  readonly detail: Record<string, unknown>;
  /**
   * A category renamed or deactivated: its event does not say whose it is, so the trail adds the
   * instansi it was added for (categoryOwnerOf), and that instansi's admin reads the change too.
   */
  readonly ownerOfCategory?: string;
}

/** An instansi's own category, as added: whose it is, kept by the trail for the entries of its later changes. */
export function categoryOwnerOf(event: RecordedEvent): { categoryId: string; instansiId: string } | undefined {
  if (event.streamId !== CATEGORY_STREAM) return undefined;
  const parsed = parsedCategoryEvent(event);
  if (parsed?.type !== 'CategoryAdded' || parsed.data.instansiId === null) return undefined;
  return { categoryId: parsed.data.categoryId, instansiId: parsed.data.instansiId };
}

function parsedCategoryEvent(event: RecordedEvent): CategoryEvent | undefined {
  const schemaVersion = typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : 1;
  const parsed = CategoryEvent.safeParse({ type: event.type, schemaVersion, data: event.data });
  return parsed.success ? parsed.data : undefined;
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
 * The audit entry for an event of the organisation, the staff accounts or the categories, when it is an
 * administrative change; undefined otherwise (a sign-out, a rehash, a first start's seed with no actor).
 */
export function auditEntryOf(event: RecordedEvent): AuditEntry | undefined {
  if (!AUDITED_STREAMS.has(event.streamId)) return undefined;
  if (event.streamId === CATEGORY_STREAM) return categoryEntryOf(event);
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

/** A change to the category taxonomy: a national one is Admin Nasional's to read, an instansi's own its admin's too. */
function categoryEntryOf(event: RecordedEvent): AuditEntry | undefined {
  const parsed = parsedCategoryEvent(event);
  const actor = actorOf(parsed?.data.by);
  if (!parsed || !actor) return undefined;
  const { by: _by, at, ...detail } = parsed.data;
  const owner = parsed.type === 'CategoryAdded' ? parsed.data.instansiId : null;
  return {
    position: event.position,
    at,
    actor,
    clientAddress: originOf(event.metadata)?.clientAddress ?? null,
    action: parsed.type,
    subject: parsed.data.categoryId,
    nodeIds: owner === null ? [] : [owner],
    detail,
    ...(parsed.type === 'CategoryAdded' ? {} : { ownerOfCategory: parsed.data.categoryId }),
  };
}
