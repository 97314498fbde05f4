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

  it('given every named schema with examples, then each example validates against its schema', () => {
    const illustrated = Object.entries(schemas).filter(([, schema]) => examplesOf(schema).length > 0);
    // the hand-named schemas illustrated so far; a schema that loses its example fails here
    expect(illustrated.length).toBeGreaterThanOrEqual(108);
    const failures = illustrated.flatMap(([name, schema]) =>
      examplesOf(schema).flatMap((example, index) => {
        const problem = validate(name, example);
        return problem === null ? [] : [`${name} example ${index}: ${problem}`];
      }),
    );
    expect(failures).toEqual([]);
  });

  it.each([
    ...[
      'ApiKeyRequest',
      'PasswordChange',
      'PasswordReset',
      'FollowUpBody',
      'DeactivationBody',
      'RegisterInstansiBody',
      'AddUnitBody',
      'PostRequestBody',
      'InboundSmsBody',
    ],
    ...['ApiKey', 'ApiKeyIssued', 'StaffToken', 'Category', 'OrganisationNode', 'OrganisationChangeAccepted', 'InboxItem', 'ErasureResult', 'PublicView'],
    ...[
      'ReporterCommandAccepted',
      'SystemComplaint',
      'RequestCreated',
      'InboundSmsAccepted',
      'Subscription',
      'SubscriptionCreated',
      'ReplayAccepted',
      'RecapRow',
    ],
    ...['ComplaintDetail', 'HistoryEntry', 'Inbox', 'ComplaintSubmittedData', 'FollowUpPostedWebhook', 'DeliveryPage', 'OrganisationView', 'Discovery'],
    ...['HolidayYearFile', 'ComplaintTimers', 'SystemComplaintList', 'ApiKeyList', 'Recap', 'PeriodStatistics', 'TopicRecap', 'Breaches'],
  ])('gives %s an example, in Bahasa Indonesia where it holds words', (name) => {
    expect(examplesOf(schemas[name]!).length).toBeGreaterThan(0);
  });
});
