import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import { httpClient } from './support/http';

const PASSWORD = 'webhooks-distributed-pw';
const JWT_SECRET = 'webhooks-distributed-secret-0123456789';
// what an operator sets for a test or a developer's machine, in every process it starts
const ALLOW_LOCAL = { LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true', LAPOR_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' };

// Distributed mode, webhooks run as a service of their own: the gateway declares the subscription
// route with the service's schema and forwards it. It must check a receiver's URL by the same
// settings as the gateway that serves the route itself does, or a URL the service accepts is
// refused at the door.
describe('webhook subscriptions through the gateway, distributed mode', () => {
  let set: DistributedSet;

  beforeAll(async () => {
    set = await startDistributedSet({
      label: 'webhooks_distributed',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: ['webhooks'],
      unstarted: ['intake', 'verification', 'disposition', 'follow-up'],
      kafka: { topicPrefix: 'webhooks-distributed' },
      env: ALLOW_LOCAL,
      gatewayEnv: ALLOW_LOCAL,
    });
  });
  afterAll(async () => {
    await set?.close();
  });

  it('given plain-http localhost receivers allowed, when an admin subscribes http://127.0.0.1 through the gateway, then the webhooks service registers it', async () => {
    const token = await set.http.token('admin-ntt', PASSWORD);

    const subscribed = await set.http.post<{ subscriptionId: string }>(
      '/webhooks/subscriptions',
      { url: 'http://127.0.0.1:9/lapor/webhook', eventTypes: ['ComplaintSubmitted'] },
      { token },
    );

    expect(subscribed.status).toBe(201);
    const listed = await httpClient(set.serviceUrls.webhooks!).get<{ subscriptions: Array<{ url: string }> }>('/webhooks/subscriptions', { token });
    expect(listed.body.subscriptions.map((item) => item.url)).toContain('http://127.0.0.1:9/lapor/webhook');
  });

  it('given plain-http localhost receivers allowed, when an admin subscribes plain http to another host through the gateway, then it is refused at the door as in embedded mode', async () => {
    const token = await set.http.token('admin-ntt', PASSWORD);

    const refused = await set.http.post('/webhooks/subscriptions', { url: 'http://sistem.ntt.example/lapor', eventTypes: ['ComplaintSubmitted'] }, { token });

    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
