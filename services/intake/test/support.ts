import type { Actor, ComplaintCommand, OrganisationNode } from '@lapor/domain';
import { buildServiceApp, openEmbeddedStores, openServerStores, runWithApp, type ServiceApp, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { intakeRoutes, openSystemList, type OpenedSystemList } from '../src';

export const NTT = 'pemprov-ntt';
export const SIKKA = 'pemkab-sikka';
export const PUPR = 'ntt-dinas-pupr';
export const ORGANISATION: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: NTT, name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: PUPR, name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi NTT', parentId: NTT },
  { kind: 'instansi', id: SIKKA, name: 'Pemerintah Kabupaten Sikka', parentId: 'nasional', timeZone: 'Asia/Makassar' },
];
export const ADMIN_NTT: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: NTT };

/** Both stores every test runs on: embedded PGlite, and a fresh database on the test PostgreSQL server. */
export const STORES = [
  ['the embedded store (PGlite)', () => openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) })],
  [
    'a PostgreSQL server',
    async (): Promise<Stores> => {
      const database = await createTestDatabase('intake');
      const stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
      return {
        ...stores,
        async close() {
          await stores.close();
          await database.drop();
        },
      };
    },
  ],
] as const;

export interface Answer<Body> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
  readonly text: string;
}

/** A tiny client over real HTTP, as an agency system calls us. */
export function httpClient(baseUrl: string) {
  const call = async <Body>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<Body>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body, text };
  };
  return {
    get: <Body = Record<string, unknown>>(path: string, headers?: Record<string, string>) => call<Body>('GET', path, { ...(headers ? { headers } : {}) }),
    post: <Body = Record<string, unknown>>(path: string, body: unknown, headers?: Record<string, string>) =>
      call<Body>('POST', path, { body, ...(headers ? { headers } : {}) }),
  };
}

/** Intake alone on a listening port, on the given stores, its systems' list following the log as main.ts has it. */
export async function intakeWorld(stores: Stores) {
  const opened: { systemList?: OpenedSystemList } = {};
  const built: ServiceApp = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: 'intake-test-secret-intake-test-secret',
    title: 'intake under test',
    tags: [{ name: 'intake', description: 'intake' }],
    seedOrganisation: ORGANISATION,
    publicRateLimit: 100_000,
    readiness: async () => (opened.systemList ? opened.systemList.readiness() : {}),
  });
  const systemList = (opened.systemList = await openSystemList(built.context, stores.db, { log: built.app.log }));
  runWithApp(built.app, systemList);
  await built.app.register(intakeRoutes, { context: built.context, systemList });
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const { context } = built;
  return {
    ...built,
    http: httpClient(address),
    /** A key for an integrating system, as an admin issues it (POST /api-keys). */
    async issueKey(instansiId: string | null, name = 'SIMPEL'): Promise<{ 'x-api-key': string }> {
      const { key } = await context.apiKeys.issue({ name, instansiId, channels: ['integration', 'sms_1708'], issuedBy: 'admin', at: context.now() });
      return { 'x-api-key': key };
    },
    /** A command as staff would run it through their service. */
    async act(command: Omit<ComplaintCommand, 'metadata'>, actor: Actor = ADMIN_NTT): Promise<void> {
      await context.repository.execute({ ...command, metadata: { now: context.now(), actor } } as ComplaintCommand, { commandId: randomUUID() });
    },
  };
}

/** Reads until `done` holds (the systems' list is a read model, which may trail a write by a moment), returning the last reading either way. */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
