import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DestinationPolicy } from '../src/destinations';
import { guardedFetch, type Resolve } from '../src/guarded-fetch';
import { NTT, SIKKA, webhooksWorld, type WebhooksWorld } from './support';

// A subscription must not turn this server into a probe of its own network: non-public receivers
// are refused when subscribed and again at every delivery (after DNS, on the address connected
// to), and the delivery log never tells an open port from a closed one.

const STRICT = new DestinationPolicy();

describe('guarded fetch: the address checked is the address connected to', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      hits++;
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A DNS server the test controls: every name answers what `answer` says. */
  const dns =
    (answer: string): Resolve =>
    (_hostname, callback) =>
      callback(null, [{ address: answer, family: answer.includes(':') ? 6 : 4 }]);

  it('given a name resolving to loopback, then nothing is sent', async () => {
    const before = hits;
    const failure = await guardedFetch(STRICT, dns('127.0.0.1'))(`http://receiver.example:${port}/hook`, { method: 'POST', body: '{}' }).catch(
      (error: unknown) => error as Error & { cause: { code: string; message: string } },
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { cause: { code: string } }).cause.code).toBe('ELAPOR_DESTINATION_REFUSED');
    expect(hits).toBe(before);
  });

  it('given a name resolving into an allowed network, then the connection goes to the resolved address itself (pinned)', async () => {
    // receiver.example resolves nowhere in real DNS: an answer arriving proves the socket used the checked address
    const answer = await guardedFetch(new DestinationPolicy(['127.0.0.1/32']), dns('127.0.0.1'))(`http://receiver.example:${port}/hook`, {
      method: 'POST',
      body: '{}',
    });
    expect(answer.status).toBe(204);
  });

  it('given an IP address in the URL (in any notation), then it is judged without DNS', async () => {
    const before = hits;
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '[::ffff:127.0.0.1]']) {
      await expect(guardedFetch(STRICT)(`http://${host}:${port}/hook`, { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed');
    }
    expect(hits).toBe(before);
  });
});

describe('webhook deliveries to non-public receivers (PostgreSQL)', () => {
  let world: WebhooksWorld;
  beforeAll(async () => {
    world = await webhooksWorld('webhooks_ssrf');
  });
  afterAll(async () => {
    await world.close();
  });

  const attemptErrors = async (id: string, key: Record<string, string>) =>
    (await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}/deliveries`, headers: key }))
      .json<{ deliveries: { attemptLog: { error: string | null; statusCode: number | null }[] }[] }>()
      .deliveries.flatMap((delivery) => delivery.attemptLog);

  it('given a metadata, private or loopback URL, then the subscription is refused with 400 naming body.url', async () => {
    const key = await world.apiKey(NTT);
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/hook',
      'https://[::1]/hook',
      'https://3232235777/hook',
      'https://127.0.0.2:5432/',
    ]) {
      const answer = await world.app.inject({ method: 'POST', url: '/webhooks/subscriptions', headers: key, payload: { url, eventTypes: ['*'] } });
      expect(answer.statusCode).toBe(400);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(answer.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([
        { field: 'body.url', message: expect.stringMatching(/public addresses only/) as string },
      ]);
    }
  });

  it('given a receiver that is loopback at delivery time and not allowed there, then nothing is sent and the log says why, without its port', async () => {
    const receiver = await world.receiver();
    const key = await world.apiKey(NTT);
    const { id } = await world.subscribe(key, { url: receiver.url.replace('127.0.0.1', 'localhost'), eventTypes: ['*'] });
    await world.submit(NTT);
    await world.queued();
    expect(await world.dispatcher({ destinations: STRICT }).dispatch()).toMatchObject({ delivered: 0, failed: 1 });
    expect(receiver.received).toHaveLength(0);
    const [attempt] = await attemptErrors(id, key);
    expect(attempt).toMatchObject({ error: 'destination refused: localhost is a loopback address; deliveries go to public addresses only', statusCode: null });
  });

  it('given an allowed host with nothing listening, then the error is one generic class, naming neither address nor port state', async () => {
    const receiver = await world.receiver();
    await receiver.close();
    const key = await world.apiKey(SIKKA);
    const { id } = await world.subscribe(key, { url: receiver.url, eventTypes: ['*'] });
    await world.submit(SIKKA);
    await world.queued();
    expect(await world.dispatcher().dispatch()).toMatchObject({ delivered: 0, failed: 1 });
    const [attempt] = await attemptErrors(id, key);
    expect(attempt!.error).toMatch(/^delivery failed: no HTTP answer/);
    expect(attempt!.error).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:\d{2,5}\b/);
  });
});
