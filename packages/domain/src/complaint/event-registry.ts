import { z } from 'zod';
import {
  AspirationAnswered,
  ComplaintArchived,
  ComplaintCompleted,
  ComplaintDisposed,
  ComplaintHandedOver,
  ComplaintReturned,
  ComplaintSubmitted,
  ComplaintVerified,
  FollowUpPosted,
  HandlingRated,
  MissingDataRequested,
  MissingDataSupplied,
  ReporterReplied,
  SlaBreachRecorded,
  SlaReminderRecorded,
} from './events';
import type { ComplaintEvent, ComplaintEventType } from './events';

// Stored events are never rewritten. When an event's shape changes, its schema moves to the
// next version and an upcaster turns the old data into the new shape on read; a chain of
// upcasters lifts any stored version to the current one.

/** Turns the data of version N into the data of version N + 1. */
export type Upcaster = (data: unknown) => unknown;

export type EventDefinition<E extends ComplaintEvent> = {
  currentVersion: E['schemaVersion'];
  schema: z.ZodType<E>;
  /** Keyed by the version each one upgrades from. */
  upcasters: Readonly<Record<number, Upcaster>>;
};

export type ComplaintEventRegistry = {
  readonly [T in ComplaintEventType]: EventDefinition<Extract<ComplaintEvent, { type: T }>>;
};

const firstVersion = <E extends ComplaintEvent>(schema: z.ZodType<E>, currentVersion: E['schemaVersion']): EventDefinition<E> => ({
  currentVersion,
  schema,
  upcasters: {},
});

/** Version 1 named a command's files by id alone; version 2 names each whole, and an old one with the rest unknown (null). */
const attachmentsFromIds: Upcaster = (data) => {
  const { attachmentIds, ...rest } = data as { attachmentIds?: unknown };
  // not a version-1 shape: left as it is for the schema check to refuse (INVALID_EVENT_DATA)
  if (!Array.isArray(attachmentIds)) return data;
  return { ...rest, attachments: attachmentIds.map((id: unknown) => ({ id, name: null, mediaType: null, size: null, sha256: null })) };
};
/** Version 1 of the reporter's-side events knew no `enteredVia` either: each is the reporter's own, or unmarked. */
const reportersSideFromFirst: Upcaster = (data) => ({ ...(attachmentsFromIds(data) as object), enteredVia: null });
/** HandlingRated carries no files: version 2 only added `enteredVia`. */
const enteredViaNull: Upcaster = (data) => ({ ...(data as object), enteredVia: null });

const secondVersion = <E extends ComplaintEvent>(schema: z.ZodType<E>, currentVersion: E['schemaVersion'], fromFirst: Upcaster): EventDefinition<E> => ({
  currentVersion,
  schema,
  upcasters: { 1: fromFirst },
});

export const complaintEventRegistry: ComplaintEventRegistry = {
  ComplaintSubmitted: secondVersion(ComplaintSubmitted, 2, attachmentsFromIds),
  ComplaintVerified: firstVersion(ComplaintVerified, 1),
  MissingDataRequested: firstVersion(MissingDataRequested, 1),
  MissingDataSupplied: secondVersion(MissingDataSupplied, 2, reportersSideFromFirst),
  ComplaintArchived: firstVersion(ComplaintArchived, 1),
  AspirationAnswered: firstVersion(AspirationAnswered, 1),
  ComplaintDisposed: firstVersion(ComplaintDisposed, 1),
  ComplaintReturned: firstVersion(ComplaintReturned, 1),
  ComplaintHandedOver: firstVersion(ComplaintHandedOver, 1),
  FollowUpPosted: secondVersion(FollowUpPosted, 2, attachmentsFromIds),
  ReporterReplied: secondVersion(ReporterReplied, 2, reportersSideFromFirst),
  ComplaintCompleted: firstVersion(ComplaintCompleted, 1),
  HandlingRated: secondVersion(HandlingRated, 2, enteredViaNull),
  SlaReminderRecorded: firstVersion(SlaReminderRecorded, 1),
  SlaBreachRecorded: firstVersion(SlaBreachRecorded, 1),
};

// ---------------------------------------------------------------------------
// Parsing stored events
// ---------------------------------------------------------------------------

export type RawEvent = { type: string; schemaVersion: number; data: unknown };

export type EventParseErrorCode = 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_EVENT_VERSION' | 'MISSING_UPCASTER' | 'INVALID_EVENT_DATA';

export class EventParseError extends Error {
  constructor(
    readonly code: EventParseErrorCode,
    readonly eventType: string,
    readonly schemaVersion: number,
    detail: string,
  ) {
    super(`${code}: ${eventType} v${schemaVersion}: ${detail}`);
    this.name = 'EventParseError';
  }
}

export const complaintEventTypes = (registry: ComplaintEventRegistry = complaintEventRegistry): ComplaintEventType[] =>
  Object.keys(registry) as ComplaintEventType[];

const isKnownType = (registry: ComplaintEventRegistry, type: string): type is ComplaintEventType => Object.hasOwn(registry, type);

/** A parser over a registry; tests build one over a registry with extra upcasters. */
export const createComplaintEventParser =
  (registry: ComplaintEventRegistry) =>
  (raw: RawEvent): ComplaintEvent => {
    const { type, schemaVersion } = raw;
    if (!isKnownType(registry, type)) {
      throw new EventParseError('UNKNOWN_EVENT_TYPE', type, schemaVersion, 'no such complaint event');
    }
    const definition: EventDefinition<ComplaintEvent> = registry[type];
    const current = definition.currentVersion;
    if (!Number.isInteger(schemaVersion) || schemaVersion > current || schemaVersion < 0) {
      // A newer version than we know means this code is older than the writer: never guess.
      throw new EventParseError('UNSUPPORTED_EVENT_VERSION', type, schemaVersion, `this code reads up to v${current}`);
    }

    let data = raw.data;
    for (let version = schemaVersion; version < current; version++) {
      const upcast = definition.upcasters[version];
      if (!upcast) throw new EventParseError('MISSING_UPCASTER', type, schemaVersion, `no upcaster from v${version}`);
      data = upcast(data);
    }

    const parsed = definition.schema.safeParse({ type, schemaVersion: current, data });
    if (!parsed.success) {
      throw new EventParseError('INVALID_EVENT_DATA', type, schemaVersion, z.prettifyError(parsed.error));
    }
    return parsed.data;
  };

/** Reads a stored complaint event of any known version as the current version. */
export const parseComplaintEvent = createComplaintEventParser(complaintEventRegistry);

/**
 * Upcasts a stored event without checking its data against the schema: for a bulk replay of the
 * log (a projection rebuild) where every event was checked by the decider before it was stored,
 * and checking millions again costs more than the replay. Unknown types and versions still fail.
 */
export function readTrustedComplaintEvent(raw: RawEvent, registry: ComplaintEventRegistry = complaintEventRegistry): ComplaintEvent {
  const { type, schemaVersion } = raw;
  if (!isKnownType(registry, type)) throw new EventParseError('UNKNOWN_EVENT_TYPE', type, schemaVersion, 'no such complaint event');
  const definition: EventDefinition<ComplaintEvent> = registry[type];
  if (schemaVersion === definition.currentVersion) return { type, schemaVersion, data: raw.data } as ComplaintEvent;
  return createComplaintEventParser(registry)(raw);
}
