import { complaintsStoredBefore, type EventEnvelope, type EventHandler, type InEventTrace } from '@lapor/consumer-kit';
import {
  complaintDecider,
  isUnitKind,
  parseComplaintEvent,
  type Complaint,
  type ComplaintEvent,
  type ComplaintState,
  type OrganisationTree,
} from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { SealedIdentity } from '@lapor/personal-data';
import { traceparentNow } from '@lapor/tracing';
import { noticeTexts } from '../grammar/replies';
import { enqueueSms, type QueuedSms } from '../outbox/outbox';
import { SMS_SCHEMA } from '../tables';

/** The actor id prefix of submissions this channel makes: `sms-1708:<provider>`. */
export const SMS_ACTOR_PREFIX = 'sms-1708:';
export const NOTIFIER_NAME = 'sms-notifier';

export interface NotifierDependencies {
  readonly tree: () => OrganisationTree;
  readonly now?: () => Date;
  readonly schema?: string;
}

const nameOf = (tree: OrganisationTree, nodeId: string): string => (tree.has(nodeId) ? tree.node(nodeId).name : nodeId);

/**
 * What the reporter is told when the complaint moves: a request for data, a hand-off, a follow-up,
 * an answer, the end; any other change of status in general words. Nothing for what the reporter
 * did themselves (they were answered at once), nor for what does not change their view (SLA records).
 */
export function noticeFor(event: ComplaintEvent, before: Complaint, after: Complaint, tree: OrganisationTree): string | null {
  if (event.data.by.role === 'reporter') return null;
  const id = after.trackingId;
  const changed = before.status !== after.status;
  switch (event.type) {
    case 'MissingDataRequested':
      return noticeTexts.missingDataRequested(id, event.data.message);
    case 'ComplaintDisposed':
      return noticeTexts.disposedTo(id, nameOf(tree, event.data.to.id), isUnitKind(event.data.to.kind));
    case 'FollowUpPosted':
      return noticeTexts.followUp(id, nameOf(tree, event.data.unitId), event.data.message);
    case 'AspirationAnswered':
      return noticeTexts.aspirationAnswered(id, event.data.answer);
    case 'ComplaintCompleted':
      // an answered aspiration completes in the same breath: its answer said it all
      return event.data.completion === 'ASPIRATION_ANSWERED' ? null : noticeTexts.completed(id);
    case 'ComplaintArchived':
      return noticeTexts.archived(id, event.data.reason);
    case 'ComplaintSubmitted':
    case 'ComplaintVerified':
    case 'MissingDataSupplied':
    case 'ComplaintReturned':
    case 'ComplaintHandedOver':
    case 'ReporterReplied':
    case 'HandlingRated':
    case 'SlaReminderRecorded':
    case 'SlaBreachRecorded':
      return changed ? noticeTexts.statusChanged(id, after.status) : null;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** An SMS complaint as the notifier keeps it: folded, and where its reporter's phone is sealed. */
interface Kept {
  state: Complaint;
  readonly reporter: SealedIdentity;
  version: bigint;
}

/**
 * The notifier as a read side (consumer-kit): it keeps the complaints that came in by SMS, folded,
 * and queues a notice in the same transaction as the event is recorded as applied, so each notice
 * is queued once however often the event is delivered. Complaints from other channels cost a share
 * of one lookup per page and are otherwise ignored.
 *
 * A page is written with at most four statements: the page's earlier SMS complaints read (and
 * locked), its SMS submissions inserted, the states it moved written, its notices queued, each
 * notice keyed by its event as before.
 */
export function createSmsNotifier(deps: NotifierDependencies): EventHandler {
  const schema = deps.schema ?? SMS_SCHEMA;
  const handlePage = async (events: readonly EventEnvelope[], tx: SqlQueryable, inEventTrace?: InEventTrace): Promise<void> => {
    const kept = await keptAmong(tx, schema, complaintsStoredBefore(events));
    const submitted: { complaintId: string; trackingId: string; kept: Kept }[] = [];
    const moved = new Set<string>();
    const notices: QueuedSms[] = [];
    const tree = deps.tree();
    for (const [index, envelope] of events.entries()) {
      if (envelope.type === 'ComplaintSubmitted') {
        const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
        if (event.type !== 'ComplaintSubmitted' || event.data.channel !== 'sms_1708' || !event.data.by.id.startsWith(SMS_ACTOR_PREFIX) || !event.data.reporter)
          continue;
        const state = complaintDecider.evolve(complaintDecider.initialState(), event);
        if (!state.submitted || kept.has(envelope.complaintId)) continue;
        const entry = { state, reporter: event.data.reporter, version: envelope.streamVersion };
        kept.set(envelope.complaintId, entry);
        submitted.push({ complaintId: envelope.complaintId, trackingId: event.data.trackingId, kept: { ...entry } });
        continue;
      }
      const entry = kept.get(envelope.complaintId);
      if (!entry) continue;
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const after = complaintDecider.evolve(entry.state, event);
      if (!after.submitted) continue;
      const text = noticeFor(event, entry.state, after, tree);
      entry.state = after;
      entry.version = envelope.streamVersion;
      moved.add(envelope.complaintId);
      if (text)
        notices.push({
          key: `notice:${envelope.complaintId}:${envelope.streamVersion}`,
          complaintId: envelope.complaintId,
          subjectId: envelope.complaintId,
          sealed: entry.reporter,
          ephemeral: false,
          body: text,
          // its send continues the trace of what caused it, not the page's
          traceparent: inEventTrace ? await inEventTrace(index, () => traceparentNow() ?? null) : undefined,
        });
    }
    if (submitted.length > 0)
      await tx.query(
        `INSERT INTO ${schema}.complaints (complaint_id, tracking_id, reporter, state, version)
         SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], $5::bigint[])
         ON CONFLICT (complaint_id) DO NOTHING`,
        [
          submitted.map((row) => row.complaintId),
          submitted.map((row) => row.trackingId),
          submitted.map((row) => JSON.stringify(row.kept.reporter)),
          submitted.map((row) => JSON.stringify(row.kept.state)),
          submitted.map((row) => row.kept.version.toString()),
        ],
      );
    if (moved.size > 0) {
      const ids = [...moved].sort();
      await tx.query(
        `UPDATE ${schema}.complaints c SET state = m.state, version = m.version
         FROM unnest($1::text[], $2::jsonb[], $3::bigint[]) AS m(complaint_id, state, version) WHERE c.complaint_id = m.complaint_id`,
        [ids, ids.map((id) => JSON.stringify(kept.get(id)!.state)), ids.map((id) => kept.get(id)!.version.toString())],
      );
    }
    await enqueueSms(tx, notices, deps.now?.() ?? new Date(), schema);
  };
  return {
    name: NOTIFIER_NAME,
    handle: (envelope, tx) => handlePage([envelope], tx),
    handlePage,
  };
}

/** The page's SMS complaints stored before it, locked for the page's transaction (in id order, so two writers wait rather than deadlock). */
async function keptAmong(tx: SqlQueryable, schema: string, complaintIds: readonly string[]): Promise<Map<string, Kept>> {
  if (complaintIds.length === 0) return new Map();
  const rows = await tx.query<{ complaint_id: string; state: ComplaintState; reporter: SealedIdentity; version: string | number }>(
    `SELECT complaint_id, state, reporter, version FROM ${schema}.complaints WHERE complaint_id = ANY($1::text[]) ORDER BY complaint_id FOR UPDATE`,
    [complaintIds],
  );
  const kept = new Map<string, Kept>();
  for (const row of rows) if (row.state.submitted) kept.set(row.complaint_id, { state: row.state, reporter: row.reporter, version: BigInt(row.version) });
  return kept;
}
