import { NASIONAL, NTT, PUPR, SIKKA, webhooksWorld, type WebhooksWorld } from './support';

// Registering and managing subscriptions over HTTP: who may, what is refused and how the refusal
// names the field, and that a subscription is seen only by those who manage its instansi.

describe('webhook subscriptions over HTTP (PostgreSQL)', () => {
  let world: WebhooksWorld;
  beforeAll(async () => {
    world = await webhooksWorld('webhooks_api');
  });
  afterAll(async () => {
    await world.close();
  });

  const post = (headers: Record<string, string>, payload: unknown) =>
    world.app.inject({ method: 'POST', url: '/webhooks/subscriptions', headers, payload: payload as object });
  const fields = (answer: { json: () => unknown }) => (answer.json() as { errors?: { field: string }[] }).errors?.map((error) => error.field);

  it('given bad input, then 400 problem+json naming each field', async () => {
    const key = await world.apiKey(NTT);
    const insecure = await post(key, { url: 'http://simpel.ntt.go.id/hook', eventTypes: ['*'] });
    expect(insecure.statusCode).toBe(400);
    expect(insecure.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(fields(insecure)).toEqual(['body.url']);
    expect(insecure.json<{ errors: { message: string }[] }>().errors[0]!.message).toMatch(/must be https/);
    expect(fields(await post(key, { url: 'https://simpel.ntt.go.id/hook', eventTypes: ['ComplaintEaten'] }))).toEqual(['body.eventTypes.0']);
    expect(fields(await post(key, { url: 'https://simpel.ntt.go.id/hook', eventTypes: ['*', 'ComplaintVerified'] }))).toEqual(['body.eventTypes']);
    expect(fields(await post(key, { url: 'https://simpel.ntt.go.id/hook', eventTypes: ['*'], secret: 'mine' }))).toEqual(['body.secret']);
    const replay = await world.app.inject({
      method: 'POST',
      url: `/webhooks/subscriptions/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/replay`,
      headers: key,
      payload: { from: 'yesterday' },
    });
    expect(fields(replay)).toEqual(['body.from']);
    expect(fields(await world.app.inject({ method: 'GET', url: '/webhooks/subscriptions/not-a-uuid', headers: key }))).toEqual(['params.subscriptionId']);
  });

  it('given no credentials, a key of no instansi, or a unit liaison, then 401 or 403', async () => {
    const body = { url: 'https://simpel.ntt.go.id/hook', eventTypes: ['*'] };
    expect((await post({}, body)).statusCode).toBe(401);
    expect((await post({ 'x-api-key': 'lapor_not_a_key' }, body)).statusCode).toBe(401);
    const national = await post(await world.apiKey(null), body);
    expect(national.statusCode).toBe(403);
    expect(national.json<{ detail: string }>().detail).toMatch(/belongs to no instansi/);
    expect((await post(await world.staff('liaison', PUPR), body)).statusCode).toBe(403);
  });

  it('given an instansi’s system, then it manages its own subscriptions, the secret is shown once, and another instansi sees none of them', async () => {
    const ntt = await world.apiKey(NTT);
    const created = await post(ntt, { url: 'https://simpel.ntt.go.id/hook', eventTypes: ['ComplaintVerified'], description: 'SIMPEL' });
    expect(created.statusCode).toBe(201);
    const subscription = created.json<{ id: string; secret: string; instansiId: string; status: string }>();
    expect(subscription).toMatchObject({ instansiId: NTT, status: 'active', pausedReason: null, pendingDeliveries: 0 });
    expect(subscription.secret).toMatch(/^whsec_/);
    expect(created.headers.location).toBe(`/webhooks/subscriptions/${subscription.id}`);

    const read = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${subscription.id}`, headers: await world.apiKey(NTT) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    const listed = await world.app.inject({ method: 'GET', url: '/webhooks/subscriptions', headers: ntt });
    expect(listed.json<{ subscriptions: { id: string }[] }>().subscriptions.map((s) => s.id)).toContain(subscription.id);

    const sikka = await world.apiKey(SIKKA);
    expect((await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${subscription.id}`, headers: sikka })).statusCode).toBe(404);
    expect((await world.app.inject({ method: 'POST', url: `/webhooks/subscriptions/${subscription.id}/resume`, headers: sikka })).statusCode).toBe(404);
    expect((await world.app.inject({ method: 'DELETE', url: `/webhooks/subscriptions/${subscription.id}`, headers: sikka })).statusCode).toBe(404);
    const sikkaList = await world.app.inject({ method: 'GET', url: '/webhooks/subscriptions', headers: sikka });
    expect(sikkaList.json<{ subscriptions: unknown[] }>().subscriptions).toEqual([]);
    // the staff of the instansi and of nasional see it too
    const byAdmin = await world.app.inject({
      method: 'GET',
      url: `/webhooks/subscriptions/${subscription.id}`,
      headers: await world.staff('admin_instansi', NTT),
    });
    expect(byAdmin.statusCode).toBe(200);
    const byNational = await world.app.inject({ method: 'GET', url: '/webhooks/subscriptions', headers: await world.staff('admin_nasional', NASIONAL) });
    expect(byNational.json<{ subscriptions: { id: string }[] }>().subscriptions.map((s) => s.id)).toContain(subscription.id);

    expect((await world.app.inject({ method: 'DELETE', url: `/webhooks/subscriptions/${subscription.id}`, headers: ntt })).statusCode).toBe(204);
    expect((await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${subscription.id}`, headers: ntt })).statusCode).toBe(404);
  });

  it('given Admin Nasional, then it may register for any instansi; an Admin Instansi only for its own, and only instansi or nasional nodes take subscriptions', async () => {
    const body = { url: 'https://hook.example.go.id/lapor', eventTypes: ['*'] };
    const forSikka = await post(await world.staff('admin_nasional', NASIONAL), { ...body, instansiId: SIKKA });
    expect(forSikka.statusCode).toBe(201);
    expect(forSikka.json()).toMatchObject({ instansiId: SIKKA, createdBy: expect.stringMatching(/^staff:[0-9a-f-]{36}$/) });
    expect((await post(await world.staff('admin_instansi', NTT), { ...body, instansiId: SIKKA })).statusCode).toBe(403);
    const unit = await post(await world.staff('admin_instansi', NTT), { ...body, instansiId: PUPR });
    expect(unit.statusCode).toBe(422);
    expect(unit.json<{ detail: string }>().detail).toMatch(/^body\.instansiId: /);
    expect((await post(await world.staff('admin_nasional', NASIONAL), { ...body, instansiId: 'pemprov-atlantis' })).statusCode).toBe(422);
  });

  it('given a subscription with deliveries waiting, when it is deleted, then they are cancelled and nothing more is queued for it', async () => {
    const receiver = await world.receiver(() => 500);
    const key = await world.apiKey(NTT);
    const { id } = await world.subscribe(key, { url: receiver.url, eventTypes: ['*'] });
    await world.submit(NTT);
    await world.queued();
    expect((await world.app.inject({ method: 'DELETE', url: `/webhooks/subscriptions/${id}`, headers: key })).statusCode).toBe(204);
    await world.submit(NTT);
    await world.queued();
    expect(await world.dispatcher().dispatch()).toEqual({ delivered: 0, failed: 0, paused: 0 });
    const rows = await world.db.query<{ status: string }>(`SELECT status FROM webhooks.deliveries WHERE subscription_id = $1`, [id]);
    expect(rows.map((row) => row.status)).toEqual(['cancelled']);
  });

  it('documents every route for the OpenAPI document, with its problems and both ways to authenticate', async () => {
    const document = world.app.swagger() as unknown as {
      paths: Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown> }>>;
    };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/webhooks'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(operations.map((operation) => operation.operationId).sort()).toEqual([
      'createWebhookSubscription',
      'deleteWebhookSubscription',
      'getWebhookSubscription',
      'listWebhookDeliveries',
      'listWebhookSubscriptions',
      'replayWebhookSubscription',
      'resumeWebhookSubscription',
    ]);
    for (const operation of operations) {
      expect(operation.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
      expect(operation.responses).toHaveProperty('401');
    }
  });
});
