import { generateTrackingId, type Actor, type OrganisationNode } from '@lapor/domain';
import { buildServiceApp, HttpProblem, openEmbeddedStores, type ServiceApp, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { randomBytes, randomUUID } from 'node:crypto';
import { SubmissionBody, submitComplaint, type Submitter } from '../src';

const ORGANISATION: OrganisationNode[] = [{ kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null }];
const SMS_PROVIDER: Actor = { role: 'integration', id: 'sms:provider-a', nodeId: null };

// The door that has no API key (the SMS 1708 provider, authenticated by its signature) goes
// through the same submission as the others: its channel checked, the identity sealed, a second
// arrival of one message answered with the complaint the first made.
describe('submitComplaint for a channel provider', () => {
  let stores: Stores;
  let built: ServiceApp;
  const provider = (): Extract<Submitter, { role: 'provider' }> => ({
    role: 'provider',
    actor: SMS_PROVIDER,
    channels: ['sms_1708'],
    reporterRef: 'phone-ref-1',
    trackingId: generateTrackingId((size) => randomBytes(size)),
  });
  const body = (channel: SubmissionBody['channel'] = 'sms_1708') =>
    SubmissionBody.parse({
      kind: 'pengaduan',
      channel,
      title: 'Jalan rusak',
      description: 'Jalan rusak di depan pasar',
      reporter: { name: 'Pelapor SMS 1708', phone: '+6281211110001' },
      externalReference: `sms:provider-a:${randomUUID()}`,
    });

  beforeAll(async () => {
    stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
    built = await buildServiceApp({ ...stores, jwtSecret: 'submission-test-secret-submission', title: 'submission', tags: [], seedOrganisation: ORGANISATION });
  });
  afterAll(async () => {
    await built.app.close();
    await stores.close();
  });

  it('given a message, when it arrives twice, then one complaint, the reporter reference set, and the same sealed number to answer', async () => {
    const submitter = provider();
    const sent = body();
    const request = { commandId: randomUUID(), correlationId: 'c-1', idempotent: true };
    const first = await submitComplaint(built.context, sent, submitter, request);
    const second = await submitComplaint(built.context, sent, submitter, request);
    if (first.result === 'conflict' || second.result === 'conflict') throw new Error('unexpected conflict');
    expect(first).toMatchObject({ result: 'created', trackingId: submitter.trackingId, reporter: { sealed: expect.any(String) } });
    expect(second).toMatchObject({ result: 'existing', trackingId: submitter.trackingId, version: first.version });
    expect(second.reporter).toEqual(first.reporter);
    expect(await built.context.vault.open(first.complaintId, first.reporter!)).toEqual({ name: 'Pelapor SMS 1708', phone: '+6281211110001' });
    const loaded = await built.context.repository.load(first.complaintId);
    expect(loaded.state).toMatchObject({ submitted: true, reporterRef: 'phone-ref-1', channel: 'sms_1708' });
  });

  it('given a channel that is not the provider’s, then it is refused as an API key on the wrong channel is', async () => {
    await expect(submitComplaint(built.context, body('web'), provider(), { commandId: randomUUID(), correlationId: 'c-2', idempotent: false })).rejects.toThrow(
      HttpProblem,
    );
  });
});
