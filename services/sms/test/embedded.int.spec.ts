import { buildServiceApp, openEmbeddedStores, runWithApp } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { complaintIdForTrackingId } from '@lapor/workflow';
import { randomBytes, randomUUID } from 'node:crypto';
import { openSms, smsRoutes, type SmsConfig } from '../src';
import { PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, TIMESTAMP_HEADER } from '../src/inbound/signature';
import { FakeSmsProvider } from './support/fake-provider';
import { adminNtt, liaisonPupr, NODES, NTT, PUPR } from './support/world';

// The embedded gateway runs everything on PGlite, one connection: the channel must work there too
// (no transaction held while the provider answers).

it('on embedded PGlite, an SMS becomes a complaint, its tracking id and a later notice reach the sender', async () => {
  const stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
  const provider = await new FakeSmsProvider().start();
  const config: SmsConfig = {
    providers: new Map([['telco', ['embedded-secret-0123456789']]]),
    keywords: new Map([['NTT', NTT]]),
    reporterKey: randomBytes(32),
    outbound: { url: provider.url, timeoutMs: 2_000, from: '1708' },
    maxParts: 5,
    retry: { firstMs: 40, maxMs: 200, giveUpAfterMs: 60_000 },
    dispatchEveryMs: 50,
    signatureToleranceMs: 300_000,
    leaseMs: 10_000,
  };
  const { app, context } = await buildServiceApp({
    ...stores,
    jwtSecret: 'embedded-secret-embedded-secret-000',
    title: 't',
    tags: [],
    seedOrganisation: NODES,
  });
  const opened = await openSms(context, stores.db, { config, feed: 'event-log', dispatch: true, now: () => new Date(), log: app.log });
  runWithApp(app, opened);
  await app.register(smsRoutes, { context, db: stores.db, config, opened });
  await app.ready();
  try {
    const payload = JSON.stringify({ messageId: 'e-1', from: '081277770001', text: 'NTT jalan longsor di Takari' });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await app.inject({
      method: 'POST',
      url: '/channels/sms/inbound',
      headers: {
        'content-type': 'application/json',
        [PROVIDER_HEADER]: 'telco',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signSmsWebhook('embedded-secret-0123456789', timestamp, payload),
      },
      payload,
    });
    expect(response.statusCode).toBe(200);
    const trackingId = response.json<{ trackingId: string }>().trackingId;
    const complaintId = complaintIdForTrackingId(trackingId);
    const act = async (command: object, actor: typeof adminNtt) =>
      context.repository.execute({ ...command, metadata: { now: context.now(), actor } } as never, { commandId: randomUUID() });
    await act(
      { type: 'VerifyComplaint', data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'JALAN', anonymous: false, confidential: false, note: null } },
      adminNtt,
    );
    await act(
      { type: 'DisposeComplaint', data: { complaintId, to: context.directory.tree.nodeRef(PUPR), tembusan: [], slaClass: null, note: null } },
      adminNtt,
    );
    await act({ type: 'PostFollowUp', data: { complaintId, followUpId: randomUUID(), message: 'Alat berat dikirim besok.', attachments: [] } }, liaisonPupr);

    const deadline = Date.now() + 60_000; // PGlite is slow when the machine is busy
    while (provider.deliveredTo('+6281277770001').length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    const texts = provider.deliveredTo('+6281277770001').map((sms) => sms.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain(trackingId);
    expect(texts[1]).toContain('diteruskan ke Dinas PUPR');
    expect(texts[2]).toContain('Alat berat dikirim besok.');
  } finally {
    await app.close();
    await provider.close();
    await stores.close();
  }
});
