import type { EventEnvelope, EventHandler } from '@lapor/consumer-kit';
import { complaintDecider, parseComplaintEvent, type Complaint, type ComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import type { SealedIdentity } from '@lapor/personal-data';
import { noticeTexts } from '../grammar/replies';
import { enqueueSms } from '../outbox/outbox';
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
      return noticeTexts.disposedTo(id, nameOf(tree, event.data.to.id), event.data.to.kind === 'unit' || event.data.to.kind === 'subunit');
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

/**
 * The notifier as a read side (consumer-kit): it keeps the complaints that came in by SMS, folded,
 * and queues a notice in the same transaction as the event is recorded as applied, so each notice
 * is queued once however often the event is delivered. Complaints from other channels cost one
 * lookup and are otherwise ignored.
 */
export function createSmsNotifier(deps: NotifierDependencies): EventHandler {
  const schema = deps.schema ?? SMS_SCHEMA;
  return {
    name: NOTIFIER_NAME,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      if (envelope.type === 'ComplaintSubmitted') {
        const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
        if (event.type !== 'ComplaintSubmitted' || event.data.channel !== 'sms_1708' || !event.data.by.id.startsWith(SMS_ACTOR_PREFIX) || !event.data.reporter)
          return;
        const state = complaintDecider.evolve(complaintDecider.initialState(), event);
        await tx.query(
          `INSERT INTO ${schema}.complaints (complaint_id, tracking_id, reporter, state, version) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
           ON CONFLICT (complaint_id) DO NOTHING`,
          [envelope.complaintId, event.data.trackingId, JSON.stringify(event.data.reporter), JSON.stringify(state), envelope.streamVersion.toString()],
        );
        return;
      }
      const [row] = await tx.query<{ state: ComplaintState; reporter: SealedIdentity }>(
        `SELECT state, reporter FROM ${schema}.complaints WHERE complaint_id = $1 FOR UPDATE`,
        [envelope.complaintId],
      );
      if (!row?.state.submitted) return;
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const after = complaintDecider.evolve(row.state, event);
      if (!after.submitted) return;
      await tx.query(`UPDATE ${schema}.complaints SET state = $2::jsonb, version = $3 WHERE complaint_id = $1`, [
        envelope.complaintId,
        JSON.stringify(after),
        envelope.streamVersion.toString(),
      ]);
      const text = noticeFor(event, row.state, after, deps.tree());
      if (!text) return;
      await enqueueSms(
        tx,
        [
          {
            key: `notice:${envelope.complaintId}:${envelope.streamVersion}`,
            complaintId: envelope.complaintId,
            subjectId: envelope.complaintId,
            sealed: row.reporter,
            ephemeral: false,
            body: text,
          },
        ],
        deps.now?.() ?? new Date(),
        schema,
      );
    },
  };
}
