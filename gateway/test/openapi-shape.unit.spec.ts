import { complaintEventTypes } from '@lapor/domain';
import { renderOpenApiDocument } from '../src/openapi-document';

// The generated API document read as a client generator reads it: what each piece says, by name.

// a parsed document walked by path and name: typing every level would only restate the document
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(document: Json): { where: string; operation: Json }[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ where: `${method.toUpperCase()} ${path}`, operation: item[method] as Json })),
  );
}

describe('the API document, as a client generator reads it', () => {
  let document: Json;
  beforeAll(async () => {
    document = (await renderOpenApiDocument()) as Json;
  });
  const schema = (name: string): Json => document.components.schemas[name] as Json;

  describe('webhooks (OpenAPI 3.1)', () => {
    it('lists one webhook per complaint event type, its body a named schema of that type', () => {
      expect(Object.keys(document.webhooks as Json).sort()).toEqual([...complaintEventTypes()].sort());
      for (const type of complaintEventTypes()) {
        const post = document.webhooks[type].post as Json;
        expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${type}Webhook` });
        expect(schema(`${type}Webhook`).properties.type).toMatchObject({ const: type });
        expect(post.parameters.map((parameter: Json) => parameter.name)).toEqual(expect.arrayContaining(['x-lapor-signature', 'x-lapor-timestamp']));
      }
    });

    it('never documents the reporter’s identity in a webhook body', () => {
      const submitted = schema('ComplaintSubmittedWebhook').properties.data as Json;
      expect(Object.keys(submitted.properties as Json)).not.toEqual(expect.arrayContaining(['reporter']));
      expect(Object.keys(submitted.properties as Json)).not.toContain('reporterRef');
    });
  });

  describe('a complaint’s history (GET /complaints/{complaintId})', () => {
    it('types each entry by its event type: one branch per type, its data a named <Type>Data schema', () => {
      const branches = schema('HistoryEntry').oneOf as Json[];
      expect(branches.map((branch) => branch.properties.type.const).sort()).toEqual([...complaintEventTypes()].sort());
      for (const branch of branches) expect(branch.properties.data).toEqual({ $ref: `#/components/schemas/${branch.properties.type.const}Data` });
      expect(schema('ComplaintVerifiedData').properties.slaClass).toEqual({ $ref: '#/components/schemas/SlaClass' });
    });

    it('names the enums the write side has: channel, slaClass, by.role', () => {
      const detail = schema('ComplaintDetail').properties as Json;
      expect(detail.channel).toEqual({ $ref: '#/components/schemas/Channel' });
      expect(JSON.stringify(detail.slaClass)).toContain('#/components/schemas/SlaClass');
      const branch = (schema('HistoryEntry').oneOf as Json[])[0]!;
      expect(branch.properties.by.properties.role).toEqual({ $ref: '#/components/schemas/ActorRole' });
    });
  });

  describe('names and media types', () => {
    it('gives every request body and answer a named schema, files aside (a file is bytes of its media types)', () => {
      const inline: string[] = [];
      for (const { where, operation } of operations(document)) {
        const bodies = Object.entries((operation.requestBody?.content ?? {}) as Json).map(([media, entry]) => [`${where} body ${media}`, entry] as const);
        const answers = Object.entries((operation.responses ?? {}) as Json).flatMap(([status, response]) =>
          Object.entries(((response as Json).content ?? {}) as Json).map(([media, entry]) => [`${where} ${status} ${media}`, entry] as const),
        );
        for (const [at, entry] of [...bodies, ...answers]) {
          const schema = (entry as Json).schema as Json;
          if (!schema.$ref && schema.format !== 'binary') inline.push(at);
        }
      }
      expect(inline).toEqual([]);
    });

    it('documents the exports as the CSV and XLSX files they are, not JSON', () => {
      for (const table of ['recap', 'yearly', 'admins', 'periods', 'topics', 'routing', 'breaches']) {
        const content = document.paths[`/statistics/${table}/export`].get.responses['200'].content as Json;
        expect(Object.keys(content).sort()).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv']);
      }
    });

    it('types the calendar-years upload as the year file', () => {
      expect(document.paths['/scheduler/calendar/years'].post.requestBody.content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/HolidayYearFile',
      });
      expect(schema('HolidayYearFile').required).toEqual(['year', 'revisions']);
    });

    it('names the gateway’s own shapes: the staff token and the API keys', () => {
      expect(document.paths['/auth/token'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StaffToken' });
      expect(document.paths['/api-keys'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiKeyList' });
    });
  });

  describe('standard headers', () => {
    it('documents Location on every 201, Retry-After on every 429 and 503', () => {
      const missing: string[] = [];
      for (const { where, operation } of operations(document)) {
        for (const [status, response] of Object.entries(operation.responses as Json)) {
          const headers = ((response as Json).headers ?? {}) as Json;
          if (status === '201' && !headers.Location) missing.push(`${where} 201 Location`);
          if ((status === '429' || status === '503') && !headers['Retry-After']) missing.push(`${where} ${status} Retry-After`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('documents RateLimit and RateLimit-Policy on the answers of the routes counted against the public budget', () => {
      const submit = document.paths['/complaints'].post.responses as Json;
      for (const status of ['201', '429'])
        expect(Object.keys(submit[status].headers as Json)).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
      expect(Object.keys((document.paths['/inbox'].get.responses['200'].headers ?? {}) as Json)).not.toContain('RateLimit');
    });

    it('documents an ETag on every read of one complaint', () => {
      for (const [path, method] of [
        ['/complaints/{complaintId}', 'get'],
        ['/tracking/{trackingId}', 'get'],
        ['/integrations/complaints/{externalReference}', 'get'],
      ] as const) {
        expect(Object.keys(document.paths[path][method].responses['200'].headers as Json)).toContain('ETag');
      }
    });
  });
});
