import { createHmac } from 'node:crypto';
import { NTT, PUPR, webhooksWorld, type WebhooksWorld } from './support';

// The embedded gateway's shape: PGlite, one connection for everything, the outbox following the log
// and the dispatcher running in the same process. Nothing holds that connection while posting.

describe('outbound webhooks on the embedded store (PGlite)', () => {
  let world: WebhooksWorld;
  beforeAll(async () => {
    world = await webhooksWorld('webhooks_embedded', { embedded: true, dispatch: true });
  });
  afterAll(async () => {
    await world.close();
  });

  it('given a subscriber, when complaints move, then the dispatcher running beside the outbox delivers them, signed and in order', async () => {
    const receiver = await world.receiver(async ({ json }) => {
      if (json.type === 'ComplaintSubmitted') await new Promise((resolve) => setTimeout(resolve, 200));
      return 200;
    });
    const { secret } = await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['*'] });
    const { complaintId } = await world.submit(NTT);
    await world.verify(complaintId);
    await world.dispose(complaintId, PUPR);
    const deadline = Date.now() + 20_000;
    while (receiver.accepted().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    const accepted = receiver.accepted();
    expect(accepted.map((request) => request.json.id)).toEqual((await world.events(complaintId)).map((event) => event.id));
    for (const request of accepted) {
      const expected = createHmac('sha256', secret)
        .update(`${String(request.headers['x-lapor-timestamp'])}.${request.body}`)
        .digest('hex');
      expect(request.headers['x-lapor-signature']).toBe(`v1=${expected}`);
    }
  });
});
