import { LOG_START } from '@lapor/event-store';
import { appliedVersion } from '@lapor/consumer-kit';
import { buildServiceApp, openServerStores, waitForWrite, type ServiceApp, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { INBOX_READY_WITHIN_EVENTS, openInbox, type OpenedInbox } from '../src/inbox/open';
import { INBOX_PROJECTION } from '../src/inbox/tables';
import { NODES, randomHistories } from '@lapor/complaint-histories';

// Ready means the inbox is within its bound of the log: a process that has not caught up says so.

describe('the inbox read model’s readiness (PostgreSQL)', () => {
  let database: TestDatabase;
  let stores: Stores;
  let service: ServiceApp;
  let inbox: OpenedInbox;

  beforeAll(async () => {
    database = await createTestDatabase('inbox_ready');
    stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
    service = await buildServiceApp({
      store: stores.store,
      vault: stores.vault,
      db: stores.db,
      jwtSecret: 'x'.repeat(32),
      title: 'inbox',
      tags: [],
      seedOrganisation: NODES,
    });
    inbox = await openInbox(service.context, stores.db, { log: service.app.log });
    // more events than the bound, before the inbox follows anything
    let appended = 0;
    for (const events of randomHistories(400, 5)) {
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await stores.store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
      appended += events.length;
    }
    expect(appended).toBeGreaterThan(INBOX_READY_WITHIN_EVENTS);
  });
  afterAll(async () => {
    await inbox.close();
    await service.app.close();
    await stores.close();
    await database.drop();
  });

  it('given the log further ahead than the bound, when the inbox has not caught up, then it is not ready, and a read after a write says it is still catching up; once it follows, it is', async () => {
    expect(await inbox.readiness()).toEqual({ inbox: 'unavailable' });
    const written = (await stores.store.readGlobalLog(LOG_START, 100)).events.find((event) => event.streamId.startsWith('complaint-'));
    const write = { complaintId: written!.streamId.slice('complaint-'.length), version: written!.streamVersion };
    expect(await waitForWrite((complaintId) => appliedVersion(stores.db, INBOX_PROJECTION, complaintId), stores.store, write, 100)).toBe('still-catching-up');

    inbox.start();
    const deadline = Date.now() + 30_000;
    while ((await inbox.readiness()).inbox !== 'ok' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await inbox.readiness()).toEqual({ inbox: 'ok' });
    expect(inbox.lastReadiness()).toEqual({ inbox: 'ok' });
    expect(await waitForWrite((complaintId) => appliedVersion(stores.db, INBOX_PROJECTION, complaintId), stores.store, write, 100)).toBe('passed');
  });
});
