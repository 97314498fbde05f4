import type { Actor, ComplaintCommand, OrganisationNode } from '@lapor/domain';
import { buildServiceApp, openServerStores, REDACTED_PATHS, runWithApp, type Stores, type WorkflowContext } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import type { FastifyInstance } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { openSms, SMS_REDACTED_PATHS, smsRoutes, type SmsConfig } from '../../src';
import { PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, TIMESTAMP_HEADER } from '../../src/inbound/signature';
import { FakeSmsProvider } from './fake-provider';

export const NTT = 'pemprov-ntt';
export const PUPR = 'ntt-dinas-pupr';
export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: NTT, name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: PUPR, name: 'Dinas PUPR Provinsi NTT', parentId: NTT },
];
export const adminNasional: Actor = { role: 'admin_nasional', id: 'admin-nasional', nodeId: 'nasional' };
export const adminNtt: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: NTT };
export const liaisonPupr: Actor = { role: 'liaison', id: 'pp-pupr', nodeId: PUPR };

export const PROVIDER = 'telco';
export const SECRET = 'telco-webhook-secret-0123456789';

export interface SmsWorldOptions {
  readonly maxParts?: number;
  readonly retry?: SmsConfig['retry'];
  readonly dispatch?: boolean;
  readonly outboundTimeoutMs?: number;
}

/**
 * The SMS service on a fresh PostgreSQL database, with a fake provider on a real port, its log
 * captured line by line, and helpers to sign an SMS in and to act as staff on the complaints.
 */
export async function smsWorld(label: string, options: SmsWorldOptions = {}) {
  const database: TestDatabase = await createTestDatabase(label);
  const stores: Stores = await openServerStores({ connectionString: database.url, poolSize: 8, masterKey: masterKey(randomBytes(32)) });
  const provider = await new FakeSmsProvider().start();
  const logLines: string[] = [];
  const config: SmsConfig = {
    providers: new Map([[PROVIDER, [SECRET]]]),
    keywords: new Map([['NTT', NTT]]),
    reporterKey: randomBytes(32),
    outbound: { url: provider.url, timeoutMs: options.outboundTimeoutMs ?? 2_000, from: '1708' },
    maxParts: options.maxParts ?? 3,
    retry: options.retry ?? { firstMs: 40, maxMs: 200, giveUpAfterMs: 60_000 },
    dispatchEveryMs: 50,
    signatureToleranceMs: 5 * 60_000,
    leaseMs: 10_000,
  };
  const { app, context } = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: 'sms-test-secret-sms-test-secret-sms-test',
    title: 'SMS test',
    tags: [{ name: 'sms', description: 'SMS 1708' }],
    seedOrganisation: NODES,
    // everything the app logs, at the most talkative level, with the service's redactions
    logger: { level: 'trace', redact: [...REDACTED_PATHS, ...SMS_REDACTED_PATHS], stream: { write: (line: string) => void logLines.push(line) } },
  });
  const opened = await openSms(context, stores.db, { config, feed: 'event-log', dispatch: options.dispatch ?? true, now: () => new Date(), log: app.log });
  runWithApp(app, opened);
  await app.register(smsRoutes, { context, db: stores.db, config, opened });
  await app.ready();

  const world = {
    app: app as FastifyInstance,
    context: context as WorkflowContext,
    db: stores.db,
    provider,
    logLines,
    config,
    /** Posts an SMS as the provider does: JSON, signed; `sign` overrides the signing for the refusal cases. */
    async sms(
      message: { messageId: string; from: string; text: string; receivedAt?: string },
      sign: { secret?: string; timestamp?: number; headers?: Record<string, string> | null } = {},
    ) {
      const payload = JSON.stringify(message);
      const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
      const headers =
        sign.headers === null
          ? {}
          : (sign.headers ?? {
              [PROVIDER_HEADER]: PROVIDER,
              [TIMESTAMP_HEADER]: String(timestamp),
              [SIGNATURE_HEADER]: signSmsWebhook(sign.secret ?? SECRET, timestamp, payload),
            });
      const response = await app.inject({ method: 'POST', url: '/channels/sms/inbound', headers: { 'content-type': 'application/json', ...headers }, payload });
      return { status: response.statusCode, headers: response.headers, body: response.json() as Record<string, unknown> };
    },
    /** Runs a staff command on a complaint, as the workflow services would. */
    async act(command: Omit<ComplaintCommand, 'metadata'>, actor: Actor): Promise<void> {
      await context.repository.execute({ ...command, metadata: { now: context.now(), actor } } as ComplaintCommand, { commandId: randomUUID() });
    },
    async verifyAndDisposeToPupr(complaintId: string): Promise<void> {
      await world.act(
        { type: 'VerifyComplaint', data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null } },
        adminNtt,
      );
      await world.act(
        { type: 'DisposeComplaint', data: { complaintId, to: context.directory.tree.nodeRef(PUPR), tembusan: [], slaClass: null, note: null } },
        adminNtt,
      );
    },
    async followUp(complaintId: string, message: string): Promise<void> {
      await world.act({ type: 'PostFollowUp', data: { complaintId, followUpId: randomUUID(), message, attachments: [] } }, liaisonPupr);
    },
    async eventTypes(complaintId: string): Promise<string[]> {
      return (await context.repository.load(complaintId)).events.map((event) => event.type);
    },
    async count(sql: string): Promise<number> {
      const [row] = await stores.db.query<{ n: string | number }>(sql);
      return Number(row?.n ?? 0);
    },
    /** Until `check` holds, or fails the test after `ms`. */
    async eventually(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close(): Promise<void> {
      await app.close();
      await provider.close();
      await stores.close();
      await database.drop();
    },
  };
  return world;
}
export type SmsWorld = Awaited<ReturnType<typeof smsWorld>>;
