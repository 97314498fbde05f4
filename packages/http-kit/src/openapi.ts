import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { globalRegistry, z } from 'zod';
import { ActorRole, Channel, ComplaintKind, ComplaintStatus, SlaClass, TrackingId } from '@lapor/domain';
import { PROBLEM_CONTENT_TYPE, ValidationProblem } from './problem';

// How the route schemas become the OpenAPI document, beyond what @fastify/swagger and the zod type
// provider do alone. The zod schemas stay the one source: a schema named with `.meta({ id })` becomes a
// component (`#/components/schemas/<id>`, `<id>Input` for its request side when it differs), and what
// every route shares (problem+json errors, Idempotency-Key, If-Match/ETag, 429 on the public budget) is
// declared here once rather than in each of the services' route files.

type Json = Record<string, unknown>;
type Operation = Json & { parameters?: Json[]; responses?: Record<string, Json> };

const RATE_LIMITED = 'x-lapor-rate-limited';
const FILE_MEDIA_TYPES = 'x-lapor-file-media-types';
const READS_VERSION = 'x-lapor-reads-version';
const PAGES = 'x-lapor-pages';

/** Route config of a read of one complaint: its answer carries the complaint's version as ETag (for If-Match). */
export const ANSWERS_ETAG = { answersEtag: true } as const;

/**
 * A body or answer that is a file, not JSON: the route sends (or takes) the bytes as they are, and the
 * document lists each media type it may come as, each a binary string.
 */
export const fileSchema = (description: string, mediaTypes: readonly string[]): z.ZodType => z.any().meta({ description, [FILE_MEDIA_TYPES]: [...mediaTypes] });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

const zodRoute = createJsonSchemaTransform({ schemaRegistry: globalRegistry });
const zodDocument = createJsonSchemaTransformObject({ schemaRegistry: globalRegistry });

/**
 * The API's version and what changed in it (info.x-changelog). A breaking change against the last
 * released document (openapi/released/) fails CI unless the entry of this version lists it under
 * `breaking`, word for word as `pnpm openapi:check` reports it; see the README's versioning policy.
 */
export const API_VERSION = '0.2.0';
const FILES_NOT_JSON = 'a file was never JSON: the server always sent these bytes as the media types now documented, so no working client read JSON here';
export const API_CHANGELOG = [
  {
    version: '0.2.0',
    changes: [
      'Webhook bodies documented (OpenAPI 3.1 webhooks, one named <Type>Webhook schema per event type)',
      'History entries of GET /complaints/{complaintId} typed by event type (<Type>Data); enums for holder.kind and the staff token role',
      'Files documented with their media types (CSV, XLSX, the attachment types) instead of JSON',
      'Every body and answer a named schema; RateLimit/RateLimit-Policy, Retry-After, Location and ETag headers documented and sent',
      'Every list that grows pages alike: `limit` and `cursor` in, `nextCursor` out (the older page/pageSize/before stay), and an RFC 8288 Link rel="next" header',
      'Every Location of a 201 can be read: GET /api-keys/{keyId}, /categories/{categoryId}, /organisation/nodes/{nodeId} and /staff-accounts/{accountId}',
      'Every 400 names its field (errors), as ValidationProblem always said: a malformed header, cursor, readAfter or body included',
      'Breaking on paper only. The calendar-years upload is typed as the year file it always had to be: a body without year and revisions was refused before (422), now 400 naming the field',
      `Files: ${FILES_NOT_JSON}`,
      'Every named schema has an example (Bahasa Indonesia where it holds words)',
      'Every status the server answers is declared: 414 on every path with a parameter, 409 and 422 of the Idempotency-Key on every POST, 400 on GET /tracking/{trackingId} and on attachment downloads',
      'PUT /scheduler/policy answers a replacesVersion the policy never had with 409, as documented, no longer 404',
    ],
    breaking: [
      'GET /statistics/recap/export 200 application/json: media type removed',
      'GET /statistics/yearly/export 200 application/json: media type removed',
      'GET /statistics/admins/export 200 application/json: media type removed',
      'GET /statistics/periods/export 200 application/json: media type removed',
      'GET /statistics/topics/export 200 application/json: media type removed',
      'GET /statistics/routing/export 200 application/json: media type removed',
      'GET /statistics/breaches/export 200 application/json: media type removed',
      'POST /scheduler/calendar/years body.year: field made required',
      'POST /scheduler/calendar/years body.revisions: field made required',
      'GET /complaints/{complaintId}/attachments/{attachmentId} 200 application/json: media type removed',
      'GET /complaints/{complaintId}/attachments/{attachmentId} 206 application/json: media type removed',
    ],
  },
  {
    version: '0.1.0',
    changes: ['The first released document: named schemas, problem+json errors, header parameters, a typed client (@lapor/api-client)'],
    breaking: [] as string[],
  },
];

/** Per route: the zod schemas as JSON Schema, and a mark on the routes counted against the public budget. */
export const documentRoute: SwaggerTransform = (input) => {
  const transformed = zodRoute(input as Parameters<typeof zodRoute>[0]);
  const config = (input.route as { config?: { rateLimit?: unknown; answersEtag?: boolean; pagesWithLink?: boolean } }).config;
  if (config?.rateLimit !== undefined && !transformed.schema.hide) (transformed.schema as Json)[RATE_LIMITED] = true;
  if (config?.answersEtag === true) (transformed.schema as Json)[READS_VERSION] = true;
  if (config?.pagesWithLink === true) (transformed.schema as Json)[PAGES] = true;
  return transformed;
};

/** The whole document: the named components, then what every operation shares. */
export const documentWhole: SwaggerTransformObject = (input) => {
  const document = zodDocument(input) as Json & { paths?: Record<string, Record<string, Operation>> };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      shapeOperation(path, method, operation);
    }
  }
  nameInlineSchemas(document);
  if (WEBHOOKS.size > 0) document.webhooks = webhookItems();
  dropUnusedInputs(document);
  return document as ReturnType<SwaggerTransformObject>;
};

/** A call we make to a receiver's endpoint, for the document's OpenAPI 3.1 `webhooks`. */
export interface WebhookDoc {
  /** The named schema of the body (see nameSchemas). */
  readonly schema: string;
  readonly summary: string;
  readonly description: string;
  /** The request headers we send, by name, with what each holds. */
  readonly headers: Readonly<Record<string, string>>;
}

const WEBHOOKS = new Map<string, WebhookDoc>();

/** Declares webhooks for the document (process-wide, like nameSchemas: a name says one thing). */
export function documentWebhooks(webhooks: Record<string, WebhookDoc>): void {
  for (const [name, webhook] of Object.entries(webhooks)) WEBHOOKS.set(name, webhook);
}

function webhookItems(): Json {
  const items: Json = {};
  for (const [name, webhook] of [...WEBHOOKS].sort(([a], [b]) => a.localeCompare(b))) {
    items[name] = {
      post: {
        operationId: `receive${name}`,
        summary: webhook.summary,
        description: webhook.description,
        tags: ['webhooks'],
        security: [],
        parameters: Object.entries(webhook.headers).map(([header, description]) => ({
          name: header,
          in: 'header',
          required: true,
          description,
          schema: { type: 'string' },
        })),
        requestBody: { required: true, content: { 'application/json': { schema: ref(webhook.schema) } } },
        responses: {
          '2XX': { description: 'Received: any 2xx answer counts as delivered' },
          default: { description: 'Not received: retried with backoff, then the subscription is paused' },
        },
      },
    };
  }
  return items;
}

/**
 * The provider names a request-side copy (`<id>Input`) of every named schema. A component no
 * operation or webhook refers to is dropped, and an `<id>Input` whose output side is unused takes the
 * plain name (a request body is then `RatingBody`, not `RatingBodyInput`).
 */
function dropUnusedInputs(document: Json): void {
  const components = document.components as { schemas?: Record<string, unknown> } | undefined;
  const schemas = components?.schemas;
  if (!components || !schemas) return;
  const used = referencedSchemas(document, schemas);
  const renames = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    if (!used.has(name)) continue;
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (base !== undefined && base in schemas && !used.has(base)) renames.set(name, base);
  }
  // by name: the order schemas were registered in depends on how many apps the process has built
  // (a plugin that names a schema per deployment names it again), and the document must not
  const kept = Object.entries(schemas)
    .filter(([name]) => used.has(name))
    .map(([name, schema]): [string, unknown] => [renames.get(name) ?? name, schema])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  components.schemas = Object.fromEntries(kept);
  const prefix = '#/components/schemas/';
  const rewrite = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(rewrite);
    if (value === null || typeof value !== 'object') return;
    const object = value as Json;
    for (const [key, child] of Object.entries(object)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(prefix)) {
        const renamed = renames.get(child.slice(prefix.length));
        if (renamed !== undefined) object.$ref = prefix + renamed;
      } else rewrite(child);
    }
  };
  rewrite(document.paths);
  rewrite(document.webhooks);
  rewrite(components.schemas);
}

function referencedSchemas(document: Json, schemas: Record<string, unknown>): Set<string> {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
        const name = child.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(child);
    }
  };
  visit(document.paths);
  visit(document.webhooks);
  return used;
}

/**
 * A body or answer a route declared with an anonymous zod schema still gets a name, from its
 * operation (`<OperationId>Body`, `<OperationId>Answer`), so no generator has to invent one. Shapes
 * that mean something beyond one route are named where they are defined (nameSchemas) instead.
 */
function nameInlineSchemas(document: Json): void {
  const schemas = (((document.components ??= {}) as Json).schemas ??= {}) as Record<string, unknown>;
  const hoist = (media: { schema?: Json }, name: string): void => {
    const schema = media.schema;
    if (schema === undefined || typeof schema.$ref === 'string' || schema.format === 'binary' || !('type' in schema || 'oneOf' in schema || 'anyOf' in schema))
      return;
    if (name in schemas) throw new Error(`the API document already names a schema ${name}: give the route's schema a name of its own`);
    schemas[name] = schema;
    media.schema = ref(name);
  };
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || typeof operation.operationId !== 'string') continue;
      const base = operation.operationId.charAt(0).toUpperCase() + operation.operationId.slice(1);
      const body = (operation.requestBody as Json | undefined)?.content as Record<string, { schema?: Json }> | undefined;
      for (const media of Object.values(body ?? {})) hoist(media, `${base}Body`);
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      for (const [status, response] of successes) {
        const content = response.content as Record<string, { schema?: Json }> | undefined;
        for (const media of Object.values(content ?? {})) hoist(media, successes.length > 1 ? `${base}Answer${status}` : `${base}Answer`);
      }
    }
  }
}

/** Open311 answers its errors in its own shape (GeoReport v2), as application/json. */
const speaksProblem = (path: string): boolean => !path.startsWith('/open311');

/** A file's media entry (fileSchema) becomes one binary entry per media type it may come as. */
function asFiles(content: Record<string, { schema?: Json }> | undefined): void {
  if (!content) return;
  for (const [media, entry] of Object.entries(content)) {
    const types = entry.schema?.[FILE_MEDIA_TYPES] as string[] | undefined;
    if (!types) continue;
    delete content[media];
    const schema = { type: 'string', format: 'binary', description: entry.schema?.description };
    for (const type of types) content[type] = { schema };
  }
}

function shapeOperation(path: string, method: string, operation: Operation): void {
  const responses = operation.responses ?? {};
  asFiles((operation.requestBody as Json | undefined)?.content as Record<string, { schema?: Json }> | undefined);
  for (const response of Object.values(responses)) asFiles(response.content as Record<string, { schema?: Json }> | undefined);
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && speaksProblem(path)) asProblem(status, response);
  }
  const success = Object.entries(responses).find(([status]) => status.startsWith('2'));
  const answersVersion = success !== undefined && refersTo(success[1], 'CommandAccepted');
  if (method === 'post' && speaksProblem(path)) {
    addHeader(operation, IDEMPOTENCY_KEY);
    // what the Idempotency-Key may answer on any POST (idempotency.ts), whatever the route's own refusals
    responses['409'] ??= {
      description: 'A request with this Idempotency-Key is still running; retry shortly',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
    };
    responses['422'] ??= {
      description: 'This Idempotency-Key was used with another body; use a new key',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
    };
  }
  if (answersVersion) {
    addHeader(operation, IF_MATCH);
    addResponseHeader(success[1], 'ETag', ETAG);
  }
  if (operation[READS_VERSION] === true) {
    delete operation[READS_VERSION];
    if (success) addResponseHeader(success[1], 'ETag', { ...ETAG, description: 'The complaint\'s version ("4"), for If-Match on the next command' });
  }
  if (operation[PAGES] === true) {
    delete operation[PAGES];
    if (success) addResponseHeader(success[1], 'Link', LINK_NEXT);
  }
  const problem = speaksProblem(path);
  // the router refuses a path segment past its limit before the route runs (edge-errors.ts), on every route with one
  if (path.includes('{')) {
    responses['414'] ??= {
      description: 'A path segment is longer than any resource here has (over 100 characters)',
      content: { [problem ? PROBLEM_CONTENT_TYPE : 'application/json']: { schema: problem ? ref('Problem') : ref('Open311Errors') } },
    };
  }
  if (operation[RATE_LIMITED] === true) {
    delete operation[RATE_LIMITED];
    responses['429'] ??= {
      description: 'Too many requests from this address on the public routes; try again after Retry-After seconds',
      content: { [problem ? PROBLEM_CONTENT_TYPE : 'application/json']: { schema: problem ? ref('Problem') : ref('Open311Errors') } },
    };
    for (const [status, response] of Object.entries(responses)) {
      if (status.startsWith('2') || status === '429') response.headers = { ...(response.headers as Json | undefined), ...RATE_LIMIT_HEADERS };
    }
  }
  for (const [status, response] of Object.entries(responses)) {
    if (status === '429' || status === '503') addResponseHeader(response, 'Retry-After', RETRY_AFTER);
    if (status === '201') addResponseHeader(response, 'Location', LOCATION);
  }
}

/** An error response: problem+json, and a 400 names the failing fields (ValidationProblem). */
function asProblem(status: string, response: Json): void {
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  if (!content) return;
  const json = content['application/json'];
  if (!json) return;
  delete content['application/json'];
  content[PROBLEM_CONTENT_TYPE] = { schema: status === '400' ? ref(String(ValidationProblem.meta()?.id)) : ref('Problem') };
}

function refersTo(response: Json, name: string): boolean {
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  return Object.values(content ?? {}).some((media) => media.schema?.$ref === `#/components/schemas/${name}`);
}

function addHeader(operation: Operation, parameter: Json): void {
  const parameters = (operation.parameters ??= []);
  if (parameters.some((existing) => existing.in === 'header' && String(existing.name).toLowerCase() === String(parameter.name).toLowerCase())) return;
  parameters.push(parameter);
}

function addResponseHeader(response: Json, name: string, header: Json): void {
  response.headers = { ...(response.headers as Json | undefined), [name]: header };
}

const IDEMPOTENCY_KEY: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Kunci idempotensi: the same key and body from the same caller answer the first answer again (idempotent-replayed: true); ' +
    'another body with the same key is 422; while the first runs, 409. Without a credential: a random UUID or 22+ base64url characters.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '3f1c2b9e-8a4d-4e6f-9b1a-2c3d4e5f6a7b',
};

const IF_MATCH: Json = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The ETag last read ("3"): the command is refused with 409 when the complaint moved on since. Weak tags are refused (412).',
  schema: { type: 'string', pattern: '^"?\\d{1,18}"?$' },
  example: '"3"',
};

const ETAG: Json = { description: 'The complaint\'s version after this answer ("4"), for If-Match', schema: { type: 'string' } };
const LINK_NEXT: Json = {
  description: 'RFC 8288: the next page, when there is one (the same request with the cursor moved on); absent on the last page',
  schema: { type: 'string' },
  example: '</inbox?limit=50&cursor=WyIyMDI2LTExLTIwVDAxOjAwOjAwLjAwMFoiXQ>; rel="next"',
};
const RETRY_AFTER: Json = { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } };
const LOCATION: Json = { description: 'Where the resource made is found or acted on', schema: { type: 'string' }, example: '/tracking/LAP-7KQ2M9XH4D' };

// The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers-10; -11 keeps the syntax), see public-budget.ts.
const RATE_LIMIT_HEADERS: Json = {
  RateLimit: {
    description: 'What is left of the public budget of this address and the seconds until it is whole again (IETF draft-ietf-httpapi-ratelimit-headers-10)',
    schema: { type: 'string' },
    example: '"public";r=12;t=41',
  },
  'RateLimit-Policy': {
    description: 'The public budget: q requests every w seconds from one address, across all public routes (IETF draft-ietf-httpapi-ratelimit-headers-10)',
    schema: { type: 'string' },
    example: '"public";q=30;w=60',
  },
};

/** What a named schema says of itself in the document: plain words, and examples that validate (a test checks). */
export interface SchemaDoc {
  readonly description?: string;
  readonly examples?: readonly unknown[];
}

/**
 * Names schemas for the API document: each becomes `#/components/schemas/<name>` wherever a route
 * (or another named schema) uses it. The name is the export's name, so it stays as stable as the code.
 */
export function nameSchemas(schemas: Record<string, z.ZodType>, docs: Record<string, SchemaDoc> = {}): void {
  for (const [id, schema] of Object.entries(schemas)) {
    const existing = globalRegistry.get(schema);
    if (existing?.id === id) continue;
    globalRegistry.add(schema, { ...existing, id, ...docs[id] });
  }
}

// The domain's shared values, named once for every service's schemas.
nameSchemas(
  { ComplaintStatus, ComplaintKind, Channel, TrackingId, SlaClass, ActorRole },
  {
    ComplaintStatus: { description: 'Where a complaint stands (the SP4N-LAPOR! statuses)', examples: ['PROSES'] },
    ComplaintKind: {
      description: 'pengaduan (complaint), aspirasi, permintaan_informasi (information request) or wbs (whistleblowing)',
      examples: ['pengaduan'],
    },
    Channel: { description: 'How the complaint came in', examples: ['sms_1708'] },
    TrackingId: { description: 'What the reporter and the public use to follow a complaint', examples: ['LAP-7KQ2M9XH4D'] },
    SlaClass: { description: 'The service-level class that sets the deadlines', examples: ['pengawasan_lapangan'] },
    ActorRole: { description: 'Who acted', examples: ['admin_instansi'] },
  },
);
