import type { ServiceApp, Stores } from '@lapor/http-kit';
import { INBOUND_PATH, PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, smsConfigFromEnv, TIMESTAMP_HEADER } from '@lapor/sms';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { embeddedStores } from './support/stores';

// The embedded gateway takes SMS 1708 as the provider sends it: the raw body signed, checked before
// anything is stored, and a complaint made from the text.

const SECRET = 'telco-secret-0123456789abcdef';

describe('SMS 1708 through the embedded gateway', () => {
  let stores: Stores;
  let gateway: ServiceApp;
  let base = '';

  beforeAll(async () => {
    stores = await embeddedStores();
    const sms = smsConfigFromEnv({ LAPOR_SMS_PROVIDERS: `telco:${SECRET}` }, { masterKey: randomBytes(32) });
    gateway = await buildGateway({ ...stores, jwtSecret: 'sms-secret-sms-secret-sms-secret-sms', seedOrganisation: DEMO_ORGANISATION, sms });
    base = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await gateway.app.close();
    await stores.close();
  });

  const send = (body: string, secret = SECRET) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${base}${INBOUND_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PROVIDER_HEADER]: 'telco',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signSmsWebhook(secret, timestamp, body),
      },
      body,
    });
  };

  it('given a signed SMS with a regional keyword, then a complaint is made for that instansi; a forged one stores nothing', async () => {
    const body = JSON.stringify({ messageId: randomUUID(), from: '0812-3456-7890', text: 'NTT jalan ke desa kami rusak parah sejak bulan lalu' });
    const accepted = await send(body);
    expect(accepted.status).toBeLessThan(300);
    const forged = await send(JSON.stringify({ messageId: randomUUID(), from: '081234567890', text: 'palsu' }), 'not-the-secret-0123456789');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/problem\+json/);
    const complaints = (await stores.store.readGlobalLog({ transactionId: 0n, position: 0n }, 1000)).events.filter(
      (event) => event.type === 'ComplaintSubmitted',
    );
    expect(complaints).toHaveLength(1);
    expect(complaints[0]!.data).toMatchObject({ channel: 'sms_1708', addressedTo: expect.objectContaining({ id: 'pemprov-ntt' }) });
    expect(JSON.stringify(complaints[0]!.data)).not.toContain('3456');
  });
});
