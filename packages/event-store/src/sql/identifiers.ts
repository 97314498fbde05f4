// Schema names end up in SQL text and in a NOTIFY channel name, so only plain lower-case
// identifiers are accepted: nothing to escape, and `<schema>_appended` stays under 63 bytes.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export const DEFAULT_SCHEMA = 'eventstore';

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RangeError(`event store schema must match ${String(SCHEMA_NAME)}, got ${JSON.stringify(schema)}`);
  }
  return schema;
}

/** The schema as it appears in SQL: `"eventstore"`. */
export function quotedSchema(schema: string): string {
  return `"${checkSchemaName(schema)}"`;
}

/** The channel appends are announced on, one per schema. */
export function appendedChannel(schema: string): string {
  return `${checkSchemaName(schema)}_appended`;
}
