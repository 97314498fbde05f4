import { buildServiceApp, openServerStores, type ServiceApp, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { openPublicList, PUBLIC_LIST_READY_WITHIN_EVENTS, type OpenedPublicList } from '../src/public-list/open';
import { NODES, randomHistories } from './public-histories';

// Ready means the public list is within its bound of the log: a process that has not caught up says
// so on /health/ready (503), as the gateway serving Open311 reports it, and never lists a half-filled
// list as if whole.

describe('Open311’s public list and readiness (PostgreSQL)', () => {
  let database: TestDatabase;
  let stores: Stores;
  let service: ServiceApp;
  let list: OpenedPublicList;

  beforeAll(async () => {
    database = await createTestDatabase('open311_ready');
    stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
    const opened: { list?: OpenedPublicList } = {};
    service = await buildServiceApp({
      store: stores.store,
      vault: stores.vault,
      db: stores.db,
      jwtSecret: 'x'.repeat(32),
      title: 'open311',
      tags: [],
      seedOrganisation: NODES,
      readiness: async () => (opened.list ? opened.list.readiness() : {}),
    });
    list = opened.list = await openPublicList(service.context, stores.db, { log: service.app.log });
    // more events than the bound, before the list follows anything
    let appended = 0;
    for (const events of randomHistories(400, 5)) {
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await stores.store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
      appended += events.length;
    }
    expect(appended).toBeGreaterThan(PUBLIC_LIST_READY_WITHIN_EVENTS);
  });
  afterAll(async () => {
    await list.close();
    await service.app.close();
    await stores.close();
    await database.drop();
  });

  it('given the log further ahead than the bound, when the list has not caught up, then /health/ready answers 503 naming it; once it follows, 200', async () => {
    const before = await service.app.inject({ method: 'GET', url: '/health/ready' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ status: 'unavailable', checks: { eventStore: 'ok', 'open311-list': 'unavailable' } });

    list.start();
    const deadline = Date.now() + 30_000;
    while ((await list.readiness())['open311-list'] !== 'ok' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await service.app.inject({ method: 'GET', url: '/health/ready' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ status: 'ok', checks: { eventStore: 'ok', 'open311-list': 'ok' } });
    expect(list.lastReadiness()).toEqual({ 'open311-list': 'ok' });
  });
});
