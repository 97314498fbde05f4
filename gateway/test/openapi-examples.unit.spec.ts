import { renderOpenApiDocument } from '../src/openapi-document';
import { documentValidators } from './support/document-validators';

// The examples of the API document are what agency developers copy first: each one must be valid
// against the schema it illustrates, or the document teaches a request the server refuses.

type Json = Record<string, unknown>;

describe('the API document’s examples', () => {
  let schemas: Record<string, Json>;
  let validate: (name: string, example: unknown) => string | null;
  beforeAll(async () => {
    const document = (await renderOpenApiDocument()) as { components: { schemas: Record<string, Json> } };
    schemas = document.components.schemas;
    const validators = documentValidators(document.components, { allErrors: true });
    validate = (name, example) => {
      const check = validators.validatorFor(name, { $ref: `#/components/schemas/${name}` });
      return check(example) ? null : validators.errorsText(check);
    };
  });

  const examplesOf = (schema: Json): unknown[] => [...((schema.examples as unknown[] | undefined) ?? []), ...('example' in schema ? [schema.example] : [])];

  it('given every named schema, then it has at least one example', () => {
    // every name in components.schemas, hand-named or named after its operation: a new one without an example fails here
    const unillustrated = Object.entries(schemas)
      .filter(([, schema]) => examplesOf(schema).length === 0)
      .map(([name]) => name);
    expect(Object.keys(schemas).length).toBeGreaterThan(0);
    expect(unillustrated).toEqual([]);
  });

  it('given every named schema, then each of its examples validates against it', () => {
    const failures = Object.entries(schemas).flatMap(([name, schema]) =>
      examplesOf(schema).flatMap((example, index) => {
        const problem = validate(name, example);
        return problem === null ? [] : [`${name} example ${index}: ${problem}`];
      }),
    );
    expect(failures).toEqual([]);
  });

  it('given a schema the check has not seen, then it finds no example there and says so', () => {
    // the check itself can fail: a bare schema has no example, and a wrong example does not validate
    expect(examplesOf({ type: 'object' })).toEqual([]);
    expect(validate('ComplaintStatus', 'NOT_A_STATUS')).not.toBeNull();
  });
});
