import { z } from 'zod';
import { ComplaintEvent, type ComplaintEventType } from './events';
import { ActorRole } from './values';

// What of an event may be shown outside the event log (a complaint's history, a webhook delivery):
// its data without the reporter's sealed identity and account reference, and without `at`/`by`,
// which every reader shows in its own way. Derived from the events' own schemas, so a new field
// appears here, and a new event type in every union built from this map, without a second list.

const PERSONAL = { reporter: true, reporterRef: true, at: true, by: true } as const;

type EventSchema = (typeof ComplaintEvent.options)[number];

function publicDataOf(schema: EventSchema): z.ZodObject {
  const data = schema.shape.data as z.ZodObject;
  const omitted = Object.fromEntries(
    Object.keys(PERSONAL)
      .filter((key) => key in data.shape)
      .map((key) => [key, true]),
  ) as Record<string, true>;
  return data.omit(omitted);
}

/** Per event type, the schema of its shareable data (named `<Type>Data` in the API document). */
export const PUBLIC_EVENT_DATA: ReadonlyMap<ComplaintEventType, z.ZodObject> = new Map(
  ComplaintEvent.options.map((schema) => [schema.shape.type.value, publicDataOf(schema)] as const),
);

/** The event's data fit to leave the log: the same keys the schema above names, nothing else. */
export function publicEventData(event: ComplaintEvent): Record<string, unknown> {
  return PUBLIC_EVENT_DATA.get(event.type)!.parse(event.data);
}

/** Who acted, as a reader outside sees it: staff and systems by role, node and id; a reporter by role alone. */
export const PublicActor = z.object({ role: ActorRole, id: z.string().nullable(), nodeId: z.string().nullable() });
export type PublicActor = z.infer<typeof PublicActor>;

/**
 * One schema per event type built from its shareable data, e.g. a history entry or a webhook body:
 * `build(type, data)` makes the object, and the union is discriminated by `type`.
 */
export function perEventType<T extends z.ZodObject>(build: (type: ComplaintEventType, data: z.ZodObject) => T): Map<ComplaintEventType, T> {
  return new Map([...PUBLIC_EVENT_DATA].map(([type, data]) => [type, build(type, data)] as const));
}
