import { breakingChanges, declaredBreaks } from '../src/openapi-compat';
import { renderOpenApiDocument } from '../src/openapi-document';

// a parsed document edited deep inside by each case: typing every path would only restate the document
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const copy = <T>(value: T): T => structuredClone(value);

// Given the live document as the released one, when a later document changes it, then the check
// names each change a client written against the release would trip over, and nothing else.
describe('breaking changes between API documents', () => {
  let released: Json;
  beforeAll(async () => {
    released = (await renderOpenApiDocument()) as Json;
  });

  it('finds nothing between a document and itself', () => {
    expect(breakingChanges(released, copy(released))).toEqual([]);
  });

  it('finds a response field removed from a named schema', () => {
    const next = copy(released);
    delete next.components.schemas.SubmissionAccepted.properties.trackingId;
    expect(breakingChanges(released, next)).toContain('POST /complaints 201.trackingId: field removed');
  });

  it('finds a removed operation, a removed enum value, a field made required and a narrowed type', () => {
    const next = copy(released);
    delete next.paths['/statistics/recap'].get;
    next.components.schemas.ComplaintStatus.enum = next.components.schemas.ComplaintStatus.enum.filter((status: string) => status !== 'TUNDA');
    next.components.schemas.RatingBody.required.push('comment');
    next.components.schemas.CommandAccepted.properties.version = { type: 'integer' };
    const found = breakingChanges(released, next);
    expect(found).toEqual(
      expect.arrayContaining([
        'GET /statistics/recap: operation removed',
        expect.stringMatching(/: enum value "TUNDA" removed$/),
        expect.stringMatching(/body\.comment: field made required$/),
        expect.stringMatching(/\.version: type string narrowed away$/),
      ]),
    );
  });

  it('reads an object split into a union by kind as compatible while every branch keeps its fields, and names a branch that lost one', () => {
    const older = copy(released);
    older.components.schemas.CommandAccepted = { type: 'object', properties: { version: { type: 'string' }, note: { type: 'string' } }, required: ['version'] };
    const split = copy(older);
    const branch = (kind: string): Json => ({
      type: 'object',
      properties: { kind: { const: kind }, version: { type: 'string' }, note: { type: 'string' } },
      required: ['kind', 'version'],
    });
    split.components.schemas.CommandAccepted = { oneOf: [branch('a'), branch('b')] };
    expect(breakingChanges(older, split)).toEqual([]);
    delete split.components.schemas.CommandAccepted.oneOf[1].properties.note;
    expect(breakingChanges(older, split)).toContainEqual(expect.stringMatching(/<oneOf1>\.note: field removed$/));
  });

  it('lets an added optional field and an added operation through', () => {
    const next = copy(released);
    next.components.schemas.SubmissionAccepted.properties.note = { type: 'string' };
    next.paths['/new-thing'] = { get: { responses: { '200': { description: 'ok' } } } };
    expect(breakingChanges(released, next)).toEqual([]);
  });

  it("reads the breaks declared in the changelog entry of the document's own version only", () => {
    const document = {
      info: {
        version: '0.2.0',
        'x-changelog': [
          { version: '0.1.0', breaking: ['old'] },
          { version: '0.2.0', breaking: ['new'] },
        ],
      },
    };
    expect([...declaredBreaks(document)]).toEqual(['new']);
  });
});
