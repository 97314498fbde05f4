import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { globalRegistry, type z } from 'zod';
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
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

const zodRoute = createJsonSchemaTransform({ schemaRegistry: globalRegistry });
const zodDocument = createJsonSchemaTransformObject({ schemaRegistry: globalRegistry });

/**
 * The API's version and what changed in it (info.x-changelog). A breaking change against the last
 * released document (openapi/released/) fails CI unless the entry of this version lists it under
 * `breaking`, word for word as `pnpm openapi:check` reports it; see the README's versioning policy.
 */
export const API_VERSION = '0.1.0';
export const API_CHANGELOG = [
  {
    version: '0.1.0',
    changes: ['The first released document: named schemas, problem+json errors, header parameters, a typed client (@lapor/api-client)'],
    breaking: [] as string[],
  },
];

/** Per route: the zod schemas as JSON Schema, and a mark on the routes counted against the public budget. */
export const documentRoute: SwaggerTransform = (input) => {
  const transformed = zodRoute(input as Parameters<typeof zodRoute>[0]);
  const config = (input.route as { config?: { rateLimit?: unknown } }).config;
  if (config?.rateLimit !== undefined && !transformed.schema.hide) (transformed.schema as Json)[RATE_LIMITED] = true;
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
  dropUnusedInputs(document);
  return document as ReturnType<SwaggerTransformObject>;
};

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
  const kept: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (used.has(name)) kept[renames.get(name) ?? name] = schema;
  }
  components.schemas = kept;
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

/** Open311 answers its errors in its own shape (GeoReport v2), as application/json. */
const speaksProblem = (path: string): boolean => !path.startsWith('/open311');

function shapeOperation(path: string, method: string, operation: Operation): void {
  const responses = operation.responses ?? {};
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && speaksProblem(path)) asProblem(status, response);
  }
  const success = Object.entries(responses).find(([status]) => status.startsWith('2'));
  const answersVersion = success !== undefined && refersTo(success[1], 'CommandAccepted');
  if (method === 'post' && speaksProblem(path)) addHeader(operation, IDEMPOTENCY_KEY);
  if (answersVersion) {
    addHeader(operation, IF_MATCH);
    addResponseHeader(success[1], 'ETag', ETAG);
  }
  if (operation[RATE_LIMITED] === true) {
    delete operation[RATE_LIMITED];
    responses['429'] ??= {
      description: 'Too many requests from this address on the public routes; try again after Retry-After seconds',
      headers: { 'Retry-After': RETRY_AFTER },
      content: { [speaksProblem(path) ? PROBLEM_CONTENT_TYPE : 'application/json']: { schema: speaksProblem(path) ? ref('Problem') : ref('Open311Errors') } },
    };
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
const RETRY_AFTER: Json = { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } };

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
