import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { embeddedStores } from './support/stores';

// What an agency developer does on day one: generate a TypeScript client from the document a running
// gateway serves (not the committed file), and write against its named types and headers. The
// program below must compile under `strict`; a type error (a schema renamed, a field retyped, a
// header no longer declared) fails this test.

// openapi-fetch as @lapor/api-client resolves it: the program calls through it like a client would
const fetchTypes = join(dirname(createRequire(join(__dirname, '../../packages/api-client/package.json')).resolve('openapi-fetch')), 'index.d.mts');

const PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './lapor';

type S = components['schemas'];

export function describe(complaint: S['ComplaintDetail']): string {
  const holder: string = complaint.holder.id;
  const status: S['ComplaintStatus'] = complaint.status;
  const events: string[] = complaint.history.map((entry: S['HistoryEntry']) => entry.type);
  return [complaint.trackingId, holder, status, complaint.assignedUnitId ?? '-', ...events].join(' ');
}

export const submission: S['SubmissionBody'] = {
  kind: 'pengaduan',
  channel: 'web',
  title: 'Jalan berlubang di Jalan El Tari',
  description: 'Lubang besar di depan sekolah, membahayakan pengendara motor.',
  reporter: { name: 'Maria Ndun', phone: '+6281234567890' },
};

export function fieldsOf(problem: S['Problem'] | S['ValidationProblem']): string[] {
  const status: number = problem.status;
  const type: string = problem.type;
  return [String(status), type, ...(problem.errors ?? []).map((e: { field: string; message: string }) => e.field)];
}

export function followUpRate(recap: S['Recap']): number[] {
  const rows: S['RecapRow'][] = [recap.total, ...recap.below];
  return rows.map((row) => row.persenTindakLanjut + row.total + row.selesai);
}

export function holding(inbox: S['Inbox']): string[] {
  const next: string | null = inbox.nextCursor;
  return inbox.items.map((item: S['InboxItem']) => item.complaintId + item.relation + (next ?? ''));
}

export async function lifecycle(baseUrl: string, token: string, reporterSecret: string, apiKey: string): Promise<string | undefined> {
  const client = createClient<paths>({ baseUrl });
  const submitted = await client.POST('/complaints', {
    params: { header: { 'Idempotency-Key': '3f1c2b9e-8a4d-4e6f-9b1a-2c3d4e5f6a7b' } },
    headers: { 'x-api-key': apiKey },
    body: submission,
  });
  if (!submitted.data) return submitted.error?.type;
  const accepted: S['SubmissionAccepted'] = submitted.data;
  const read = await client.GET('/complaints/{complaintId}', {
    params: { path: { complaintId: accepted.complaintId } },
    headers: { authorization: 'Bearer ' + token },
  });
  const etag = read.response.headers.get('etag') ?? '"1"';
  await client.POST('/complaints/{complaintId}/verification', {
    params: { path: { complaintId: accepted.complaintId }, header: { 'If-Match': etag, 'Idempotency-Key': 'f'.repeat(22) } },
    headers: { authorization: 'Bearer ' + token },
    body: { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' },
  });
  await client.POST('/tracking/{trackingId}/replies', {
    params: { path: { trackingId: accepted.trackingId } },
    headers: { 'x-reporter-secret': reporterSecret },
    body: { message: 'Terima kasih.' },
  });
  const recap = await client.GET('/statistics/recap', { params: { query: { nodeId: 'nasional', from: '2026-01-01', to: '2026-12-31' } }, headers: { authorization: 'Bearer ' + token } });
  const inbox = await client.GET('/inbox', { headers: { authorization: 'Bearer ' + token } });
  return read.data ? describe(read.data) + followUpRate(recap.data!).join() + holding(inbox.data!).join() : fieldsOf(read.error!).join();
}
`;

/** Compiles `program` against the types in `types` under strict settings; the diagnostics, as text. */
function compile(dir: string, files: Record<string, string>): string[] {
  const host = ts.createCompilerHost({});
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    skipLibCheck: true,
    types: [],
    paths: { 'openapi-fetch': [fetchTypes] },
    baseUrl: dir,
  };
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    options,
    host,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a TypeScript client generated from the live document', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let dir: string;
  let document: { components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> } };

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({ ...stores, jwtSecret: 'client-secret-client-secret-client-se', seedOrganisation: DEMO_ORGANISATION }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const served = await (await fetch(`${address}/openapi.json`)).text();
    document = JSON.parse(served) as typeof document;
    dir = await mkdtemp(join(tmpdir(), 'lapor-client-'));
    const { default: openapiTS, astToString } = await import('openapi-typescript');
    // defaults are the server's to fill: a field with one (anonymous: false) is optional to send
    await writeFile(join(dir, 'lapor.ts'), astToString(await openapiTS(served, { defaultNonNullable: false })));
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('given a program using each main named type and the Idempotency-Key and If-Match parameters, then it compiles under strict', async () => {
    await writeFile(join(dir, 'program.ts'), PROGRAM);
    expect(compile(dir, { 'program.ts': PROGRAM })).toEqual([]);
  });

  it('given the same program with a field retyped, then the compiler refuses it (the check can fail)', async () => {
    const broken = PROGRAM.replace('const status: number = problem.status;', 'const status: string = problem.status;');
    await writeFile(join(dir, 'broken.ts'), broken);
    expect(compile(dir, { 'broken.ts': broken })).toEqual([expect.stringMatching(/not assignable to type 'string'/)]);
  });

  it('given a header the document does not declare on an operation, then the compiler refuses it', async () => {
    const broken = PROGRAM.replace("header: { 'If-Match': etag,", "header: { 'If-Matches': etag,");
    await writeFile(join(dir, 'unknown-header.ts'), broken);
    expect(compile(dir, { 'unknown-header.ts': broken })).toEqual([expect.stringMatching(/If-Matches/)]);
  });

  it('the credentials a client sends as headers are declared: x-api-key and x-reporter-secret', () => {
    const headers = Object.values(document.components.securitySchemes)
      .filter((s) => s.type === 'apiKey' && s.in === 'header')
      .map((s) => s.name);
    expect(headers.sort()).toEqual(['x-api-key', 'x-reporter-secret']);
  });
});
