import { checkSchemaName } from '@lapor/sql';

export { checkSchemaName, quotedSchema } from '@lapor/sql';

export const DEFAULT_SCHEMA = 'eventstore';

/** The channel appends are announced on, one per schema. */
export function appendedChannel(schema: string): string {
  return `${checkSchemaName(schema)}_appended`;
}
