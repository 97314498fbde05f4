import { generateTrackingId, type Actor, type ComplaintCommand, type OrganisationNode } from '@lapor/domain';
import { buildServiceApp, openEmbeddedStores, openServerStores, runWithApp, signStaffToken, type ServiceApp, type Stores } from '@lapor/http-kit';
import { type StaffRole } from '@lapor/accounts';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DestinationPolicy, openWebhooks, WebhookDispatcher, webhookRoutes, type DispatcherOptions, type DeliveryPolicy } from '../src';

export const NASIONAL = 'nasional';
export const NTT = 'pemprov-ntt';
export const PUPR = 'ntt-dinas-pupr';
export const SIKKA = 'pemkab-sikka';
export const ORGANISATION: OrganisationNode[] = [
  { kind: 'nasional', id: NASIONAL, name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: NTT, name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: NASIONAL, timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: PUPR, name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi NTT', parentId: NTT },
  { kind: 'instansi', id: SIKKA, name: 'Pemerintah Kabupaten Sikka', parentId: NASIONAL, timeZone: 'Asia/Makassar' },
];

/** Who the reporter is: none of it may reach a receiver. */
export const IDENTITY = {
  name: 'Maria Goreti Sina',
  nik: '5371014107850002',
  phone: '+6281234567890',
  email: 'maria.sina@example.id',
  address: 'Jl. El Tari No. 7, Kupang',
};

export const adminOf = (nodeId: string): Actor => ({ role: 'admin_instansi', id: `admin-${nodeId}`, nodeId });
export const ADMIN_NASIONAL: Actor = { role: 'admin_nasional', id: 'admin-nasional', nodeId: NASIONAL };
export const LIAISON_PUPR: Actor = { role: 'liaison', id: 'pp-pupr', nodeId: PUPR };

/** A request as a receiver got it, with the answer it gave. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: { id: string; type: string; occurredAt: string; complaintId: string; trackingId?: string; replay: boolean; data: Record<string, unknown> };
  readonly answered: number;
  readonly at: number;
}

/** A real HTTP receiver on a free port; `answer` decides each response's status (default 204). */
export async function startReceiver(answer: (request: { index: number; json: Received['json'] }) => number | Promise<number> = () => 204) {
  const received: Received[] = [];
  let index = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const json = JSON.parse(body) as Received['json'];
      void Promise.resolve(answer({ index: index++, json })).then((status) => {
        received.push({ headers: request.headers, body, json, answered: status, at: Date.now() });
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `receiver says ${status}` : '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/lapor/webhook`,
    received,
    /** What it accepted (2xx), in the order it got them. */
    accepted: () => received.filter((request) => request.answered >= 200 && request.answered < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The receivers of these tests are on this machine: loopback allowed, as an operator would list it. */
export const TEST_DESTINATIONS = new DestinationPolicy(['127.0.0.1/32']);

export const TEST_POLICY: DeliveryPolicy = {
  timeoutMs: 2_000,
  maxAttempts: 6,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  pauseAfterFailures: 5,
  pauseAfterMs: 30 * 60_000,
};

/**
 * The webhooks service on a fresh PostgreSQL database, its outbox following the event log, with a
 * clock the test moves. The dispatcher is not started: each test dispatches when it says so.
 */
export async function webhooksWorld(label: string, options: { embedded?: boolean; dispatch?: boolean; feed?: 'event-log' | 'external' } = {}) {
  const database: TestDatabase | undefined = options.embedded ? undefined : await createTestDatabase(label);
  const stores: Stores = database
    ? await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)), poolSize: 12 })
    : await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
  const clock = { now: new Date('2025-03-03T01:00:00.000Z') };
  const built: ServiceApp = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: 'webhooks-test-secret-webhooks-test-secret',
    title: 'webhooks under test',
    tags: [{ name: 'webhooks', description: 'webhooks' }],
    seedOrganisation: ORGANISATION,
    now: () => clock.now.toISOString(),
  });
  const opened = await openWebhooks(built.context, stores.db, {
    feed: options.feed ?? 'event-log',
    dispatch: options.dispatch ?? false,
    dispatchEveryMs: 200,
    policy: TEST_POLICY,
    // the test's receivers listen on 127.0.0.1, which deliveries may reach only when allowed
    dispatcher: { destinations: TEST_DESTINATIONS },
    log: built.app.log,
  });
  runWithApp(built.app, opened);
  await built.app.register(webhookRoutes, { context: built.context, db: stores.db, opened, allowInsecureLocalhost: true, destinations: TEST_DESTINATIONS });
  await built.app.ready();
  const { app, context } = built;
  const receivers: Receiver[] = [];
  let submitted = 0;

  const world = {
    app,
    context,
    db: stores.db,
    store: stores.store,
    clock,
    advance(ms: number): void {
      clock.now = new Date(clock.now.getTime() + ms);
    },
    async receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
      const receiver = await startReceiver(answer);
      receivers.push(receiver);
      return receiver;
    },
    dispatcher: (options: Partial<DispatcherOptions> = {}) =>
      new WebhookDispatcher({ db: stores.db, now: () => clock.now, policy: TEST_POLICY, random: () => 0.5, destinations: TEST_DESTINATIONS, ...options }),
    /** An agency system's API key. */
    async apiKey(instansiId: string | null): Promise<Record<string, string>> {
      const { key } = await context.apiKeys.issue({
        name: `system of ${instansiId ?? 'nobody'}`,
        instansiId,
        channels: ['integration'],
        issuedBy: 'admin-nasional',
        at: clock.now.toISOString(),
      });
      return { 'x-api-key': key };
    },
    /** A staff bearer header for an account in this role and node (created on first use), as POST /auth/token would sign it. */
    async staff(role: StaffRole, nodeId: string): Promise<Record<string, string>> {
      const username = `${role}-${nodeId}`;
      const account =
        context.staffAccounts.list().find((known) => known.username === username) ??
        (await context.staffAccounts.create({ username, role, nodeId, password: 'webhooks-test-password' }));
      return { authorization: `Bearer ${signStaffToken(app, account)}` };
    },
    async subscribe(headers: Record<string, string>, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
      const answer = await app.inject({ method: 'POST', url: '/webhooks/subscriptions', headers, payload: body });
      if (answer.statusCode !== 201) throw new Error(`subscribe answered ${answer.statusCode}: ${answer.body}`);
      return answer.json<{ id: string; secret: string }>();
    },
    async act(command: Omit<ComplaintCommand, 'metadata'>, actor: Actor): Promise<void> {
      await context.repository.execute({ ...command, metadata: { now: clock.now.toISOString(), actor } } as ComplaintCommand, { commandId: randomUUID() });
    },
    /** A citizen's complaint with their identity sealed, as intake stores it. */
    async submit(to: string, title = `Pengaduan ${++submitted}`): Promise<{ complaintId: string; reporterRef: string; sealed: string }> {
      const complaintId = randomUUID();
      const reporterRef = `rpt-${createHash('sha256').update(complaintId).digest('hex')}`;
      const reporter = await context.vault.seal(complaintId, IDENTITY);
      await world.act(
        {
          type: 'SubmitComplaint',
          data: {
            complaintId,
            trackingId: generateTrackingId((size) => randomBytes(size)),
            kind: 'pengaduan',
            channel: 'web',
            title,
            description: 'Jalan berlubang di depan kantor gubernur',
            occurredOn: null,
            location: 'Kupang',
            attachments: [],
            addressedTo: context.directory.tree.nodeRef(to),
            reporter,
            reporterRef,
            anonymous: false,
            confidential: false,
            externalReference: null,
          },
        },
        { role: 'reporter', id: reporterRef, nodeId: null },
      );
      return { complaintId, reporterRef, sealed: reporter.sealed };
    },
    verify: (complaintId: string, by: Actor = adminOf(NTT)) =>
      world.act(
        { type: 'VerifyComplaint', data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null } },
        by,
      ),
    dispose: (complaintId: string, to: string, by: Actor = adminOf(NTT)) =>
      world.act({ type: 'DisposeComplaint', data: { complaintId, to: context.directory.tree.nodeRef(to), tembusan: [], slaClass: null, note: null } }, by),
    followUp: (complaintId: string) =>
      world.act({ type: 'PostFollowUp', data: { complaintId, followUpId: randomUUID(), message: 'Sudah ditambal', attachments: [] } }, LIAISON_PUPR),
    /** The complaint's event ids and types, in stream order. */
    async events(complaintId: string): Promise<{ id: string; type: string; position: bigint }[]> {
      return (await stores.store.readStream(`complaint-${complaintId}`)).map((event) => ({ id: event.id, type: event.type, position: event.position }));
    },
    /** Until the outbox has taken in every complaint event in the log. */
    async queued(): Promise<void> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await stores.db.query<{ logged: string; applied: string }>(
          `SELECT (SELECT count(*) FROM eventstore.events WHERE stream_id LIKE 'complaint-%')::text AS logged,
                  (SELECT coalesce(sum(stream_version + 1), 0) FROM consumers.applied WHERE consumer = 'webhooks')::text AS applied`,
        );
        if (row!.logged === row!.applied) return;
        if (Date.now() > deadline) throw new Error(`the outbox took in ${row!.applied} of ${row!.logged} events`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close(): Promise<void> {
      await app.close();
      await Promise.all(receivers.map((receiver) => receiver.close()));
      // the runner's LISTEN connection (a started dispatcher's) is not the stores' to close
      await stores.db.close();
      await stores.close();
      await database?.drop();
    },
  };
  return world;
}
export type WebhooksWorld = Awaited<ReturnType<typeof webhooksWorld>>;
