import { dispositionRoutes } from '@lapor/disposition';
import type { Channel, OrganisationNode } from '@lapor/domain';
import { followUpRoutes, openInbox } from '@lapor/follow-up';
import { buildServiceApp, openEmbeddedStores, openServerStores, runWithApp, signStaffToken, type Stores } from '@lapor/http-kit';
import { type StaffRole } from '@lapor/accounts';
import { intakeRoutes, openSystemList } from '@lapor/intake';
import { open311Routes, openPublicList } from '@lapor/open311';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase } from '@lapor/testing';
import { verificationRoutes } from '@lapor/verification';
import { randomBytes } from 'node:crypto';

export const NTT = 'pemprov-ntt';
export const PUPR = 'ntt-dinas-pupr';
export const PUPR_NAME = 'Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi NTT';
export const NTT_NAME = 'Pemerintah Provinsi Nusa Tenggara Timur';
export const ORGANISATION: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: NTT, name: NTT_NAME, parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: PUPR, name: PUPR_NAME, parentId: NTT },
];

export const STORES = [
  ['the embedded store (PGlite)', () => openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) })],
  [
    'a PostgreSQL server',
    async (): Promise<Stores> => {
      const database = await createTestDatabase('open311');
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

/** A client as a civic app and as staff call us, over real HTTP. */
export function httpClient(baseUrl: string) {
  const call = async <Body>(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer<Body>> => {
    const response = await fetch(`${baseUrl}${path}`, { method, ...init });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body, text };
  };
  return {
    get: <Body = unknown>(path: string, headers: Record<string, string> = {}) => call<Body>('GET', path, { headers }),
    /** As GeoReport v2 clients post: application/x-www-form-urlencoded. */
    postForm: <Body = unknown>(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      call<Body>('POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }),
    postJson: <Body = unknown>(path: string, body: unknown, headers: Record<string, string> = {}) =>
      call<Body>('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
  };
}

/**
 * Every workflow service and the Open311 facade, mounted side by side as the embedded gateway does,
 * on a listening port, on either store. Here, not in services/open311: a service's tests do not
 * compose other services; the gateway is where they meet.
 */
export async function open311World(stores: Stores, options: { publicRateLimit?: number } = {}) {
  const built = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: 'open311-test-secret-open311-test-secret',
    title: 'open311 under test',
    tags: [{ name: 'open311', description: 'Open311' }],
    seedOrganisation: ORGANISATION,
    publicRateLimit: options.publicRateLimit ?? 100_000,
  });
  const { app, context } = built;
  const systemList = await openSystemList(context, stores.db, { log: app.log });
  runWithApp(app, systemList);
  await app.register(intakeRoutes, { context, systemList });
  for (const plugin of [verificationRoutes, dispositionRoutes]) await app.register(plugin, { context });
  const inbox = await openInbox(context, stores.db, { log: app.log });
  runWithApp(app, inbox);
  await app.register(followUpRoutes, { context, inbox });
  const publicList = await openPublicList(context, stores.db, { log: app.log });
  runWithApp(app, publicList);
  await app.register(open311Routes, { context, publicList });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...built,
    http: httpClient(address),
    async issueKey(instansiId: string | null, channels: Channel[] = ['integration']): Promise<string> {
      return (await context.apiKeys.issue({ name: 'Aplikasi warga', instansiId, channels, issuedBy: 'admin', at: context.now() })).key;
    },
    /** A staff bearer header for an account in this role and node (created on first use), as POST /auth/token would sign it. */
    async staff(role: StaffRole, nodeId: string): Promise<Record<string, string>> {
      const username = `${role}-${nodeId}`;
      const account =
        context.staffAccounts.list().find((known) => known.username === username) ??
        (await context.staffAccounts.create({ username, role, nodeId, password: 'open311-world-password' }));
      return { authorization: `Bearer ${signStaffToken(app, account)}` };
    },
  };
}

/** Reads until `done` holds (read models trail writes by a moment), returning the last reading either way. */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
