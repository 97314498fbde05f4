import { renderOpenApiDocument } from '../src/openapi-document';

// Given no store and no database at all (every part a stand-in that throws when used), when the
// gateway's routes are declared for the API document, then every service's routes are there: no
// plugin opens a table or reads a stream when it registers.
describe('the API document, built with nothing opened', () => {
  let paths: Record<string, Record<string, { operationId?: string }>>;
  beforeAll(async () => {
    paths = ((await renderOpenApiDocument()) as { paths: typeof paths }).paths;
  });

  it.each([
    ['intake', '/complaints'],
    ['statistics', '/statistics/recap'],
    ['the scheduler', '/scheduler/policy'],
    ['webhooks', '/webhooks/subscriptions'],
    ['the SMS channel', '/channels/sms/inbound'],
    ['Open311', '/open311/v2/services.{format}'],
    ['staff sign-in', '/auth/token'],
  ])('lists the routes of %s (%s)', (_part, path) => {
    expect(Object.keys(paths)).toContain(path);
  });

  it('gives every operation an id a generated client can name its method by', () => {
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations.filter((operation) => !operation.operationId)).toEqual([]);
  });
});
