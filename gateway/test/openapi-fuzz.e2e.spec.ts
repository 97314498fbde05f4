import type { Stores } from '@lapor/http-kit';
import fc, { type Arbitrary } from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { documentValidators } from './support/document-validators';
import { schemaArbitraries, type JsonSchema } from './support/schema-arbitrary';
import { embeddedStores } from './support/stores';

// Requests derived from every operation of the live /openapi.json, valid and broken, sent through the
// gateway on PGlite as nobody, as each demo role and as an agency's API key. Whatever the request:
// never a 5xx; every error problem+json (Open311's own array on Open311 routes); every 2xx answer
// valid against the schema the document declares for it; every 4xx a status the operation declares.
// A fixed seed and a bounded count here; LAPOR_FUZZ_RUNS=20000 (and LAPOR_FUZZ_SEED) for a long run,
// LAPOR_FUZZ_SEQUENCES for more lifecycle sequences (30 by default).

const RUNS = Number(process.env.LAPOR_FUZZ_RUNS ?? 800);
const SEED = Number(process.env.LAPOR_FUZZ_SEED ?? 18_2026);
const SEQUENCES = Number(process.env.LAPOR_FUZZ_SEQUENCES ?? 30);
const PASSWORD = 'fuzz-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const CATEGORY = 'perbaikan-jalan';
const STAFF = ['admin-nasional', 'admin-ntt', 'penghubung-pupr'] as const;

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema; $ref?: string };
type Media = Record<string, { schema?: JsonSchema }>;
type Operation = {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Media };
  responses: Record<string, { content?: Media; $ref?: string }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };
type Identity = (typeof STAFF)[number] | 'nobody' | 'api-key';
type FuzzRequest = { method: string; template: string; url: string; headers: Record<string, string>; payload?: string; identity: Identity; valid: boolean };
type Finding = {
  kind: '5xx' | 'not problem+json' | 'schema violation' | 'undocumented 2xx' | 'undocumented status';
  request: string;
  status: number;
  detail: string;
};

describe('requests derived from the OpenAPI document, through the gateway on PGlite', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let document: Document;
  const tokens = new Map<Identity, string>();

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'fuzz-secret-fuzz-secret-fuzz-secret-fu',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      publicRateLimit: 1_000_000,
    }));
    await app.ready();
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
    for (const username of STAFF) tokens.set(username, await signIn(username));
    const issued = await app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: { authorization: `Bearer ${tokens.get('admin-ntt')}` },
      payload: { name: 'SIMPEL', instansiId: NTT_ID, channels: ['integration'] },
    });
    tokens.set('api-key', issued.json<{ key: string }>().key);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  async function signIn(username: string): Promise<string> {
    const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password: PASSWORD } });
    if (answer.statusCode !== 200) throw new Error(`sign-in as ${username}: ${answer.statusCode} ${answer.body}`);
    return answer.json<{ accessToken: string }>().accessToken;
  }

  type Answer = Awaited<ReturnType<FastifyInstance['inject']>>;
  let validators: ReturnType<typeof documentValidators>;

  /** The invariants every answer keeps: never a 5xx, errors in the route's error shape, 2xx and 4xx declared, 2xx valid. */
  function inspect(request: Pick<FuzzRequest, 'method' | 'template' | 'url' | 'payload'> & { identity: string }, answer: Answer): Finding | null {
    const status = answer.statusCode;
    const said = `${request.method} ${request.url.slice(0, 200)} as ${request.identity}${request.payload ? ` ${request.payload.slice(0, 300)}` : ''}`;
    const type = String(answer.headers['content-type'] ?? '');
    const operation = document.paths[request.template]![request.method.toLowerCase()]!;
    if (status >= 500) return { kind: '5xx', request: said, status, detail: answer.body.slice(0, 300) };
    if (status >= 400) {
      // a client generated from the document knows only the statuses it declares (a default counts as declared)
      const declared = operation.responses[String(status)] ?? operation.responses[`${String(status).charAt(0)}XX`] ?? operation.responses.default;
      if (!declared) {
        const where = `${request.method} ${request.template} ${status}`;
        return { kind: 'undocumented status', request: said, status, detail: `${where}; declared: ${Object.keys(operation.responses).join(',')}` };
      }
      const open311 = request.template.startsWith('/open311/');
      const shaped = open311 ? isOpen311Errors(answer.body) : /^application\/problem\+json/.test(type) && isProblem(answer.body, status);
      return shaped ? null : { kind: 'not problem+json', request: said, status, detail: `${type} ${answer.body.slice(0, 300)}` };
    }
    if (status >= 200 && status < 300) {
      const documented = operation.responses[String(status)] ?? operation.responses['2XX'] ?? operation.responses.default;
      if (!documented) return { kind: 'undocumented 2xx', request: said, status, detail: Object.keys(operation.responses).join(',') };
      const schema = documented.content?.['application/json']?.schema;
      if (schema && /json/.test(type)) {
        const validate = validators.validatorFor(`${request.method} ${request.template} ${status}`, schema);
        if (!validate(answer.json()))
          return { kind: 'schema violation', request: said, status, detail: validators.errorsText(validate) + ' ' + answer.body.slice(0, 300) };
      }
    }
    return null;
  }

  /** A few complaints the server holds, so ids in paths reach past 404 now and then. */
  async function seedComplaints(): Promise<{ uuids: string[]; strings: string[] }> {
    const uuids: string[] = [];
    const strings: string[] = DEMO_ORGANISATION.map((node) => node.id);
    for (let i = 0; i < 3; i++) {
      const answer = await app.inject({
        method: 'POST',
        url: '/complaints',
        payload: { kind: 'pengaduan', channel: 'web', title: 'Jalan rusak', description: 'Lubang besar di jalan El Tari.', addressedTo: NTT_ID },
      });
      const submitted = answer.json<{ complaintId: string; trackingId: string }>();
      uuids.push(submitted.complaintId);
      strings.push(submitted.trackingId);
    }
    return { uuids, strings };
  }

  // Random requests rarely get a write accepted (a valid body, the right role, a complaint in the right
  // status): here one complaint at a time is driven through random but well-formed lifecycle steps, each
  // body drawn from the document's own request schema (with the ids only the server knows set in), each
  // sent as the role that may take the step. Runs first, while the demo organisation is as seeded.
  it(
    'given random lifecycle sequences on one complaint each, then every answer keeps the same invariants and writes are accepted',
    async () => {
      const resolve = (ref: string): JsonSchema => {
        const [, , kind, name] = ref.split('/');
        return document.components[kind!]![name!] as JsonSchema;
      };
      const arbitraries = schemaArbitraries(resolve, { uuids: [], strings: [NTT_ID, PUPR, CATEGORY] });
      validators = documentValidators(document.components, { allErrors: false });
      const bodyOf = (name: string) => arbitraries.valid({ $ref: `#/components/schemas/${name}` }) as Arbitrary<Record<string, unknown>>;
      type Step = { name: string; path: string; schema: string; as: Identity | 'reporter'; set?: Record<string, unknown> };
      const STEPS: Step[] = [
        { name: 'verify', path: 'verification', schema: 'VerifyComplaintBody', as: 'admin-ntt', set: { category: CATEGORY } },
        { name: 'tunda', path: 'missing-data-requests', schema: 'RequestMissingDataBody', as: 'admin-ntt' },
        { name: 'supply', path: 'missing-data', schema: 'ReporterMessage', as: 'reporter' },
        { name: 'supply for reporter', path: 'reporter-side/missing-data', schema: 'EnterMissingDataForReporterBody', as: 'admin-ntt' },
        { name: 'dispose', path: 'dispositions', schema: 'DisposeComplaintBody', as: 'admin-ntt', set: { to: PUPR, tembusan: [] } },
        { name: 'follow-up', path: 'follow-ups', schema: 'FollowUpBody', as: 'penghubung-pupr' },
        { name: 'reply', path: 'replies', schema: 'ReporterMessage', as: 'reporter' },
        { name: 'rate', path: 'rating', schema: 'RatingBody', as: 'reporter' },
        { name: 'return', path: 'returns', schema: 'ReturnComplaintBody', as: 'penghubung-pupr' },
        { name: 'archive', path: 'archive', schema: 'ArchiveComplaintBody', as: 'admin-ntt' },
        { name: 'answer', path: 'aspiration-answer', schema: 'AnswerAspirationBody', as: 'admin-ntt', set: { category: CATEGORY } },
      ];
      const named = (...names: string[]) => STEPS.filter((step) => names.includes(step.name));
      // the steps each phase invites (verified is a phase of its own: the status stays Belum Terverifikasi until
      // disposed); now and then any step at all, to see the refusals keep their shape too
      const invited: Record<string, Step[]> = {
        // verify twice as likely as the ways out, so that more complaints reach the units
        BELUM_TERVERIFIKASI: [...named('verify', 'verify'), ...named('verify', 'tunda', 'archive', 'answer')],
        VERIFIED: named('dispose', 'answer'),
        TUNDA: named('supply', 'supply for reporter', 'archive'),
        BELUM_DITINDAKLANJUTI: named('follow-up', 'return'),
        PROSES: named('follow-up', 'reply', 'return'),
        SELESAI: named('rate'),
        RATED: [],
        ARSIP: [],
      };
      const bodies = new Map(STEPS.map((step) => [step.name, bodyOf(step.schema).map((body) => ({ ...body, ...step.set }))]));
      const sequence = fc.record({
        kind: fc.constantFrom('pengaduan', 'aspirasi'),
        submission: bodyOf('SubmissionBody'),
        length: fc.integer({ min: 2, max: 10 }),
        draw: fc.gen(),
      });

      const findings: Finding[] = [];
      const accepted = new Map<string, number>();
      const send = async (method: 'GET' | 'POST', template: string, url: string, identity: Identity | 'reporter', payload?: unknown, secret = '') => {
        const headers: Record<string, string> =
          identity === 'reporter' ? { 'x-reporter-secret': secret } : identity === 'nobody' ? {} : { authorization: `Bearer ${tokens.get(identity)}` };
        const body = payload === undefined ? undefined : JSON.stringify(payload);
        if (body !== undefined) headers['content-type'] = 'application/json';
        const answer = await app.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : {}) });
        const finding = inspect({ method, template, url, identity, ...(body !== undefined ? { payload: body } : {}) }, answer);
        if (finding) findings.push(finding);
        return answer;
      };

      await fc.assert(
        fc.asyncProperty(sequence, async ({ kind, submission, length, draw }) => {
          // the reporter's words from the schema; where it goes and how, set so that it is accepted
          const { title, description, occurredOn, location } = submission;
          const submitted = await send('POST', '/complaints', '/complaints', 'nobody', {
            ...Object.fromEntries(Object.entries({ title, description, occurredOn, location }).filter(([, v]) => v !== undefined)),
            kind,
            channel: 'web',
            addressedTo: NTT_ID,
          });
          if (submitted.statusCode !== 201) return;
          accepted.set('submit', (accepted.get('submit') ?? 0) + 1);
          const { complaintId, trackingId, reporterSecret } = submitted.json<{ complaintId: string; trackingId: string; reporterSecret: string }>();
          let phase = 'BELUM_TERVERIFIKASI';
          for (let i = 0; i < length; i++) {
            // a closed complaint ends its sequence; an aspiration is the only kind answered directly
            const next = (invited[phase] ?? STEPS).filter((step) => step.name !== 'answer' || kind === 'aspirasi');
            if (next.length === 0) break;
            const choices = draw(fc.integer, { min: 0, max: 3 }) > 0 ? next : STEPS;
            const step = draw(fc.constantFrom, ...choices);
            const body = draw(() => bodies.get(step.name)!);
            const [template, url] =
              step.as === 'reporter'
                ? [`/tracking/{trackingId}/${step.path}`, `/tracking/${trackingId}/${step.path}`]
                : [`/complaints/{complaintId}/${step.path}`, `/complaints/${complaintId}/${step.path}`];
            const answer = await send('POST', template, url, step.as, body, reporterSecret);
            if (answer.statusCode < 300) {
              accepted.set(step.name, (accepted.get(step.name) ?? 0) + 1);
              const status = answer.json<{ status: string }>().status;
              phase = step.name === 'verify' && status === 'BELUM_TERVERIFIKASI' ? 'VERIFIED' : step.name === 'rate' ? 'RATED' : status;
            }
          }
          await send('GET', '/complaints/{complaintId}', `/complaints/${complaintId}`, 'admin-ntt');
          await send('GET', '/tracking/{trackingId}', `/tracking/${trackingId}`, 'nobody');
        }),
        { seed: SEED, numRuns: SEQUENCES, endOnFailure: true },
      );

      const writes = [...accepted.values()].reduce((sum, count) => sum + count, 0);
      console.info(`openapi fuzz sequences: ${SEQUENCES} complaints, seed ${SEED}, accepted writes ${writes} ${JSON.stringify(Object.fromEntries(accepted))}`);
      expect(findings.slice(0, 20)).toEqual([]);
      // the steps do move complaints: most complaints are submitted, and steps past submission are accepted
      expect(accepted.get('submit') ?? 0).toBeGreaterThan(SEQUENCES / 2);
      expect(writes - (accepted.get('submit') ?? 0)).toBeGreaterThan(SEQUENCES / 2);
    },
    60_000 + SEQUENCES * 2_000,
  );

  it(
    'never answers 5xx, errors are problem+json, 2xx answers match the document',
    async () => {
      const known = await seedComplaints();
      const resolve = (ref: string): JsonSchema => {
        const [, , kind, name] = ref.split('/');
        return document.components[kind!]![name!] as JsonSchema;
      };
      const arbitraries = schemaArbitraries(resolve, known);
      validators = documentValidators(document.components, { allErrors: false });

      const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
        Object.entries(methods)
          .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map(([method, operation]) => ({ template, method: method.toUpperCase(), operation })),
      );
      expect(operations.length).toBeGreaterThan(50);

      const requestOf = ({ template, method, operation }: (typeof operations)[number]): Arbitrary<FuzzRequest> => {
        const parameters = (operation.parameters ?? []).map((p) => (p.$ref ? (resolve(p.$ref) as unknown as Parameter) : p));
        const identities: Identity[] = ['nobody', 'api-key', ...STAFF];
        return fc.record({ valid: fc.boolean(), identity: fc.constantFrom(...identities), salt: fc.nat() }).chain(({ valid, identity }) => {
          const value = (schema: JsonSchema | undefined) =>
            schema ? (valid ? arbitraries.valid(schema) : fc.oneof(arbitraries.valid(schema), arbitraries.invalid(schema))) : fc.string();
          const parameterValues = fc.tuple(
            ...parameters.map((p) =>
              p.required || p.in === 'path'
                ? value(p.schema).map((v) => [p, v] as const)
                : fc.option(
                    value(p.schema).map((v) => [p, v] as const),
                    { nil: undefined },
                  ),
            ),
          );
          const body = operation.requestBody?.content ? Object.entries(operation.requestBody.content)[0] : undefined;
          const bodyValue: Arbitrary<unknown> = body ? (body[1].schema ? value(body[1].schema) : fc.jsonValue()) : fc.constant(undefined);
          return fc.tuple(parameterValues, bodyValue).map(([values, payload]) => {
            let url = template;
            const query = new URLSearchParams();
            const headers: Record<string, string> = {};
            for (const entry of values) {
              if (!entry) continue;
              const [p, v] = entry;
              const text = typeof v === 'string' ? v : JSON.stringify(v);
              if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd')));
              else if (p.in === 'query') query.set(p.name, text);
              else if (p.in === 'header') headers[p.name.toLowerCase()] = text.replace(/[^\x20-\x7e]/g, '?');
            }
            if (identity === 'api-key') headers['x-api-key'] ??= tokens.get('api-key')!;
            else if (identity !== 'nobody') headers.authorization = `Bearer ${tokens.get(identity)}`;
            const search = query.toString();
            const request: FuzzRequest = { method, template, url: search ? `${url}?${search}` : url, headers, identity, valid };
            if (body && payload !== undefined) {
              if (body[0] === 'application/x-www-form-urlencoded') {
                headers['content-type'] = body[0];
                const fields = typeof payload === 'object' && payload !== null ? Object.entries(payload) : [];
                request.payload = new URLSearchParams(fields.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
              } else {
                headers['content-type'] = 'application/json';
                request.payload = JSON.stringify(payload);
              }
            }
            return request;
          });
        });
      };

      // signing out would leave the rest of the run unauthenticated: staff tokens sign out only as nobody
      const fuzzed = fc
        .constantFrom(...operations)
        .chain(requestOf)
        .filter((r) => !(r.template === '/auth/sign-out' && r.identity !== 'nobody' && r.identity !== 'api-key'));
      const requests = fc.sample(fuzzed, { seed: SEED, numRuns: RUNS });

      const findings: Finding[] = [];
      const statuses = new Map<number, number>();
      for (const request of requests) {
        let answer = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
        if (answer.statusCode === 401 && STAFF.includes(request.identity as (typeof STAFF)[number])) {
          // a password changed or a session ended by an earlier request: sign in again and retry once
          tokens.set(request.identity, await signIn(request.identity).catch(() => tokens.get(request.identity)!));
          request.headers.authorization = `Bearer ${tokens.get(request.identity)}`;
          answer = await app.inject({
            method: request.method as 'GET',
            url: request.url,
            headers: request.headers,
            ...(request.payload !== undefined ? { payload: request.payload } : {}),
          });
        }
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        const finding = inspect(request, answer);
        if (finding) findings.push(finding);
      }

      const counts = Object.fromEntries(
        ['5xx', 'not problem+json', 'schema violation', 'undocumented 2xx', 'undocumented status'].map((kind) => [
          kind,
          findings.filter((f) => f.kind === kind).length,
        ]),
      );
      // the figures a long run is reported with
      console.info(
        `openapi fuzz: ${requests.length} requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, findings ${JSON.stringify(counts)}`,
      );
      const undeclared = [...new Set(findings.filter((f) => f.kind === 'undocumented status').map((f) => f.detail.split(';', 1)[0]!))];
      if (undeclared.length > 0) console.info(`openapi fuzz: statuses the document does not declare: ${undeclared.join('; ')}`);
      expect(findings.slice(0, 20)).toEqual([]);
    },
    120_000 + RUNS * 200,
  );
});

function isProblem(body: string, status: number): boolean {
  try {
    const problem = JSON.parse(body) as { type?: unknown; status?: unknown; title?: unknown };
    return typeof problem.type === 'string' && typeof problem.title === 'string' && problem.status === status;
  } catch {
    return false;
  }
}

function isOpen311Errors(body: string): boolean {
  try {
    const errors = JSON.parse(body) as unknown;
    return (
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((e: { code?: unknown; description?: unknown }) => typeof e.code === 'number' && typeof e.description === 'string')
    );
  } catch {
    return false;
  }
}
