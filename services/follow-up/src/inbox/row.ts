import { complaintDecider, type Complaint, type ComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { visibilityOf } from './visibility';

// What the inbox keeps of a complaint, and the rows it becomes: one fold and one row shape, shared by
// the live projection (a page at a time, the fold read back from its row) and the rebuild (each
// complaint's stream folded whole, rows bulk-loaded), so the two cannot disagree on a value.

/** The inbox's fold of a complaint: the decider's state and what the state does not keep. */
export interface InboxFold {
  readonly state: ComplaintState;
  readonly title: string;
  readonly description: string;
  /** Every node that has held it, in the order they first did. */
  readonly handledBy: readonly string[];
  /** When the last event that touched the row happened (as the event says it). */
  readonly updatedAt: string;
  readonly version: bigint;
}

/**
 * One event onto the fold. An event that leaves the complaint unsubmitted writes no row, and so
 * changes nothing the next event folds onto: the fold before it is answered.
 */
export function foldInbox(before: InboxFold | undefined, event: ComplaintEvent, streamVersion: bigint): InboxFold | undefined {
  const after = complaintDecider.evolve(before?.state ?? complaintDecider.initialState(), event);
  if (!after.submitted) return before;
  const submitted = event.type === 'ComplaintSubmitted' ? event.data : undefined;
  return {
    state: after,
    title: submitted?.title ?? before?.title ?? '',
    description: submitted?.description ?? before?.description ?? '',
    handledBy: [...new Set([...(before?.handledBy ?? []), after.holder.id])],
    updatedAt: event.data.at,
    version: streamVersion,
  };
}

/** inbox.complaints' columns (the search vector is generated from title and description). */
export const COMPLAINT_COLUMNS = [
  'complaint_id',
  'tracking_id',
  'title',
  'description',
  'kind',
  'channel',
  'category',
  'status',
  'anonymous',
  'confidential',
  'holder_id',
  'instansi_id',
  'assigned_unit_id',
  'tembusan',
  'handled_by',
  'received_at',
  'received_at_text',
  'updated_at',
  'stream_version',
  'state',
] as const;

/** The complaint's row, values in the order of COMPLAINT_COLUMNS (json columns as values, not text). */
export function complaintRowOf(complaintId: string, fold: InboxFold & { readonly state: Complaint }): unknown[] {
  const { state } = fold;
  return [
    complaintId,
    state.trackingId,
    fold.title,
    fold.description,
    state.kind,
    state.channel,
    state.category,
    state.status,
    state.anonymous,
    state.confidential,
    state.holder.id,
    state.instansiId,
    state.assignedUnit?.id ?? null,
    state.tembusan,
    fold.handledBy,
    state.receivedAt,
    state.receivedAt,
    fold.updatedAt,
    fold.version.toString(),
    state,
  ];
}

/** inbox.visibility's columns. */
export const VISIBILITY_COLUMNS = ['node_id', 'complaint_id', 'relation', 'received_at', 'status', 'kind', 'channel', 'category'] as const;

/** Who sees the complaint and why, a row per node in node order, values in the order of VISIBILITY_COLUMNS. */
export function visibilityRowsOf(complaintId: string, fold: InboxFold & { readonly state: Complaint }, tree: OrganisationTree): unknown[][] {
  const { state } = fold;
  const seen = visibilityOf({ holderId: state.holder.id, tembusan: state.tembusan, handledBy: fold.handledBy }, tree);
  return [...seen.keys()].sort().map((node) => [node, complaintId, seen.get(node), state.receivedAt, state.status, state.kind, state.channel, state.category]);
}

export const isSubmitted = (fold: InboxFold | undefined): fold is InboxFold & { readonly state: Complaint } => fold?.state.submitted === true;
