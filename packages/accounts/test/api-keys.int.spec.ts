import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { ApiKeys, KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS } from '../src';

// Two ApiKeys over one store stand for two gateway processes over the same database.
describe('API keys shared by several processes', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await createPGliteEventStore();
  });
  afterAll(() => store.close());

  it('given a key checked in process B, when process A revokes it, then B refuses it within the stated bound', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const a = await ApiKeys.open(store, { now });
    const b = await ApiKeys.open(store, { now });
    const { key, apiKey } = await a.issue({
      name: 'SIMPEL Kota Bandung',
      instansiId: null,
      channels: ['integration'],
      issuedBy: 'admin',
      at: '2026-12-04T00:00:00Z',
    });
    clock += KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS;
    expect(await b.verify(key)).toMatchObject({ keyId: apiKey.keyId });

    expect(await a.revoke(apiKey.keyId, 'admin', '2026-12-04T00:01:00Z')).toBe(true);
    expect(await a.verify(key)).toBeUndefined();

    clock += KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS;
    expect(await b.verify(key)).toBeUndefined();
    expect(b.list().find((listed) => listed.keyId === apiKey.keyId)?.revoked).toBe(true);
  });
});
