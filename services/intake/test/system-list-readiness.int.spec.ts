import type { Actor } from '@lapor/domain';
import { buildServiceApp, type ServiceApp, type Stores } from '@lapor/http-kit';
import { randomUUID } from 'node:crypto';
import { openSystemList, SYSTEM_LIST_READY_WITHIN_EVENTS, type OpenedSystemList } from '../src/integrations/system-list/open';
import { intakeRoutes } from '../src/plugin';
import { foldLog } from './log-fold';
import { NODES, randomHistories } from './system-histories';
import { STORES } from './support';

// Ready means the systems' list is within its bound of the log: a process that has not caught up
// says so on /health/ready (503), as intake alone and the embedded gateway report it, and never
// answers a half-filled list as if it were whole.

describe.each(STORES)('the integrating systems’ list and readiness, on %s', (_name, openStores) => {
  let stores: Stores;
  let service: ServiceApp;
  let list: OpenedSystemList;
  let key: string;
  let sent: number;

  beforeAll(async () => {
    stores = await openStores();
    const opened: { list?: OpenedSystemList } = {};
    service = await buildServiceApp({
      store: stores.store,
      vault: stores.vault,
      db: stores.db,
      jwtSecret: 'x'.repeat(32),
      title: 'intake',
      tags: [],
      seedOrganisation: NODES,
      readiness: async () => (opened.list ? opened.list.readiness() : {}),
    });
    list = opened.list = await openSystemList(service.context, stores.db, { log: service.app.log });
    await service.app.register(intakeRoutes, { context: service.context, systemList: list });
    const { context } = service;
    const issued = await context.apiKeys.issue({ name: 'SIMPEL', instansiId: 'ntt', channels: ['integration'], issuedBy: 'admin', at: context.now() });
    key = issued.key;
    const system: Actor = { role: 'integration', id: issued.apiKey.keyId, nodeId: 'ntt' };
    // more events than the bound, before the list follows anything
    let appended = 0;
    for (const events of randomHistories(300, 5, [system, { role: 'integration', id: 'kunci-nasional', nodeId: null }])) {
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await stores.store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
      appended += events.length;
    }
    expect(appended).toBeGreaterThan(SYSTEM_LIST_READY_WITHIN_EVENTS);
    sent = (await foldLog(stores.store)).filter((complaint) => complaint.scope === 'instansi:ntt').length;
    expect(sent).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await list.close();
    await service.app.close();
    await stores.close();
  });

  it('given the log further ahead than the bound, when the list has not caught up, then /health/ready answers 503 naming it; once it follows, 200, and the list is whole', async () => {
    const before = await service.app.inject({ method: 'GET', url: '/health/ready' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ status: 'unavailable', checks: { eventStore: 'ok', 'integrations-list': 'unavailable' } });
    expect(list.lastReadiness()).toEqual({ 'integrations-list': 'unavailable' });

    list.start();
    const deadline = Date.now() + 60_000;
    while ((await list.readiness())['integrations-list'] !== 'ok' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await service.app.inject({ method: 'GET', url: '/health/ready' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ status: 'ok', checks: { eventStore: 'ok', 'integrations-list': 'ok' } });
    expect(list.lastReadiness()).toEqual({ 'integrations-list': 'ok' });

    // ready is within the bound; whole is a moment later
    const whole = async () =>
      (await service.app.inject({ method: 'GET', url: '/integrations/complaints', headers: { 'x-api-key': key } })).json<{ total: number }>();
    const until = Date.now() + 30_000;
    while ((await whole()).total < sent && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await whole()).total).toBe(sent);
  });
});
