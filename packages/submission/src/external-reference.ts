import { type Actor, type Channel, type ComplaintKind, type ComplaintSubmitted } from '@lapor/domain';
import type { ReporterIdentity } from '@lapor/personal-data';

// An integrating system's own ticket id (externalReference) names one complaint for good: the
// tracking id, and so the complaint id, follow from it, so a resubmission after a lost answer or a
// crash meets the complaint it made instead of making a second one, without a lookup table.

/**
 * Whose numbering an external reference belongs to: the instansi for an agency's own system (its
 * key may be rotated, its ticket numbers stay), the key itself for a national system that belongs
 * to no instansi (SMS 1708), whose numbering is its own.
 */
export function integrationScope(actor: Actor): string | null {
  if (actor.role !== 'integration') return null;
  return actor.nodeId !== null ? `instansi:${actor.nodeId}` : `key:${actor.id}`;
}

/** What a resubmission is compared on: what the system sent, as the complaint recorded it. */
export interface SubmittedContent {
  readonly kind: ComplaintKind;
  readonly channel: Channel;
  readonly title: string;
  readonly description: string;
  readonly occurredOn: string | null;
  readonly location: string | null;
  readonly addressedTo: string;
  readonly anonymous: boolean;
  readonly confidential: boolean;
  readonly externalReference: string | null;
}

export const contentOfSubmission = (data: ComplaintSubmitted['data']): SubmittedContent => ({
  kind: data.kind,
  channel: data.channel,
  title: data.title,
  description: data.description,
  occurredOn: data.occurredOn,
  location: data.location,
  addressedTo: data.addressedTo.id,
  anonymous: data.anonymous,
  confidential: data.confidential,
  externalReference: data.externalReference,
});

/**
 * The body fields in which a resubmission differs from what was recorded (empty: the same
 * complaint). The identity is compared opened: `recorded` is null when none was given, and
 * 'erased' when it was given and has since been erased, which nothing can be compared with.
 */
export function differingFields(
  recorded: SubmittedContent,
  incoming: SubmittedContent,
  identities: { recorded: ReporterIdentity | null | 'erased'; incoming: ReporterIdentity | null },
): string[] {
  const fields: string[] = (Object.keys(recorded) as Array<keyof SubmittedContent>).filter((field) => recorded[field] !== incoming[field]);
  if (identities.recorded !== 'erased' && canonical(identities.recorded) !== canonical(identities.incoming)) fields.push('reporter');
  return fields;
}

const canonical = (identity: ReporterIdentity | null): string =>
  identity === null
    ? 'null'
    : JSON.stringify(
        Object.entries(identity)
          .filter(([, value]) => value !== undefined)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
