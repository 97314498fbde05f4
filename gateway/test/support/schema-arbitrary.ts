import fc, { type Arbitrary } from 'fast-check';

// fast-check arbitraries read from the JSON Schemas of the OpenAPI document (3.1, so JSON Schema
// 2020-12): `valid` follows the schema as a client reading the document would; `invalid` breaks it
// the ways clients do (a field missing, a wrong type, an unknown enum value, text too long or odd).
// Only the keywords the document uses are read; an unknown one widens to "any JSON".

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/** Values a fuzzer should try beyond the schema's own: ids the server holds, so requests go deeper than 404. */
export interface KnownValues {
  readonly uuids: readonly string[];
  readonly strings: readonly string[];
}

const ODD_TEXT = fc.constantFrom('', ' ', '\u0000', '\ud800', '%', '../..', "' OR 1=1 --", 'x'.repeat(5000), '😀', '-1', '1e309', 'null');

export function schemaArbitraries(resolveRef: (ref: string) => JsonSchema, known: KnownValues) {
  const deref = (schema: JsonSchema, depth = 0): JsonSchema => (schema.$ref && depth < 20 ? deref(resolveRef(schema.$ref), depth + 1) : schema);

  const stringOf = (schema: JsonSchema): Arbitrary<string> => {
    const min = schema.minLength ?? 0;
    const max = Math.max(min, Math.min(schema.maxLength ?? 60, 200));
    if (schema.format === 'uuid') return known.uuids.length ? fc.oneof(fc.constantFrom(...known.uuids), fc.uuid()) : fc.uuid();
    if (schema.format === 'date')
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    if (schema.format === 'date-time')
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    if (schema.format === 'email') return fc.emailAddress();
    if (schema.pattern) {
      try {
        const pattern = new RegExp(schema.pattern);
        return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
      } catch {
        // a pattern JavaScript cannot read: fall through to plain text
      }
    }
    const text = fc.string({ minLength: min, maxLength: max });
    const fromKnown = known.strings.filter((s) => s.length >= min && s.length <= max);
    return fromKnown.length ? fc.oneof({ arbitrary: text, weight: 3 }, { arbitrary: fc.constantFrom(...fromKnown), weight: 1 }) : text;
  };

  const numberOf = (schema: JsonSchema, integer: boolean): Arbitrary<number> => {
    const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : -1e6);
    const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : 1e6);
    return integer
      ? fc.integer({ min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER), max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER) })
      : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  };

  const valid = (input: JsonSchema, depth = 0): Arbitrary<unknown> => {
    const schema = deref(input);
    if (depth > 6) return fc.constant(null);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.allOf) return fc.tuple(...schema.allOf.map((s) => valid(s, depth + 1))).map((parts) => Object.assign({}, ...parts.filter(isObject)) as unknown);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((s) => valid(s, depth + 1)));
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
    if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...schema, type }, depth)));
    switch (types[0]) {
      case 'string':
        return stringOf(schema);
      case 'integer':
        return numberOf(schema, true);
      case 'number':
        return numberOf(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const minLength = schema.minItems ?? 0;
        return fc.array(schema.items ? valid(schema.items, depth + 1) : fc.jsonValue(), {
          minLength,
          maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 6)),
        });
      }
      case 'object': {
        const properties = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, valid(s, depth + 1)])), {
          requiredKeys: Object.keys(properties).filter((name) => required.has(name)),
        });
        return record as Arbitrary<unknown>;
      }
      case undefined:
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };

  /** A value the schema refuses, or now and then one it takes: the server must tell which is which. */
  const invalid = (input: JsonSchema, depth = 0): Arbitrary<unknown> => {
    const schema = deref(input);
    const wrong: Arbitrary<unknown>[] = [fc.jsonValue({ maxDepth: 2 }), ODD_TEXT, fc.constantFrom(null, -1, 0, 1e21, true, [], {})];
    if (schema.properties && depth < 3) {
      const names = Object.keys(schema.properties);
      if (names.length) {
        const base = valid(schema, depth) as Arbitrary<Record<string, unknown>>;
        wrong.push(
          // one field broken, the rest as documented
          fc
            .tuple(base, fc.constantFrom(...names))
            .chain(([value, name]) => invalid(schema.properties![name]!, depth + 1).map((broken) => ({ ...(isObject(value) ? value : {}), [name]: broken }))),
          // a required field left out
          fc.tuple(base, fc.constantFrom(...names)).map(([value, name]) => {
            const copy = { ...(isObject(value) ? value : {}) };
            delete copy[name];
            return copy;
          }),
          // a field nobody asked for
          base.map((value) => ({ ...(isObject(value) ? value : {}), unexpectedField: 'x' })),
        );
      }
    }
    if (schema.items && depth < 3) wrong.push(fc.array(invalid(schema.items, depth + 1), { minLength: 1, maxLength: 3 }));
    return fc.oneof(...wrong);
  };

  return { valid, invalid, deref };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
