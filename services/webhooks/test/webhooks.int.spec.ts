import { randomUUID, createHmac } from 'node:crypto';
import { ADMIN_NASIONAL, adminOf, IDENTITY, NASIONAL, NTT, PUPR, SIKKA, webhooksWorld, type Received, type WebhooksWorld } from './support';

// The webhooks against a real PostgreSQL and real HTTP receivers started here: what an agency's
// system gets, signed and in order; what it never gets; and what happens when it is down.

/** What a receiver does with a delivery: recompute the HMAC over "<timestamp>.<body>" with the secret. */
const signatureHolds = (request: Received, secret: string): boolean =>
  request.headers['x-lapor-signature'] ===
  `v1=${createHmac('sha256', secret)
    .update(`${String(request.headers['x-lapor-timestamp'])}.${request.body}`)
    .digest('hex')}`;

/** The event ids a receiver accepted, per complaint, in the order they arrived. */
const perComplaint = (requests: readonly Received[]): Map<string, string[]> => {
  const sequences = new Map<string, string[]>();
  for (const request of requests) sequences.set(request.json.complaintId, [...(sequences.get(request.json.complaintId) ?? []), request.json.id]);
  return sequences;
};

describe('outbound webhooks (PostgreSQL, real HTTP receivers)', () => {
  let world: WebhooksWorld;
  beforeEach(async () => {
    world = await webhooksWorld('webhooks');
  });
  afterEach(async () => {
    await world.close();
  });

  it('given an NTT system subscribed to three event types, when its complaints move, then it gets signed deliveries of exactly those, each complaint in order', async () => {
    const receiver = await world.receiver();
    const { secret } = await world.subscribe(await world.apiKey(NTT), {
      url: receiver.url,
      eventTypes: ['ComplaintSubmitted', 'ComplaintVerified', 'ComplaintDisposed'],
      description: 'SIMPEL Provinsi NTT',
    });
    const complaints: string[] = [];
    for (let index = 0; index < 4; index++) {
      const { complaintId } = await world.submit(NTT);
      await world.verify(complaintId);
      await world.dispose(complaintId, PUPR);
      await world.followUp(complaintId); // not asked for
      complaints.push(complaintId);
    }
    await world.queued();

    expect(await world.dispatcher().dispatch()).toEqual({ delivered: 12, failed: 0, paused: 0 });

    const accepted = receiver.accepted();
    expect(accepted).toHaveLength(12);
    for (const request of accepted) {
      expect(signatureHolds(request, secret)).toBe(true);
      expect(request.headers['x-lapor-event-id']).toBe(request.json.id);
      expect(request.headers['x-lapor-event-type']).toBe(request.json.type);
      expect(request.headers['x-lapor-timestamp']).toBe(String(Math.floor(world.clock.now.getTime() / 1000)));
      expect(request.headers['x-lapor-replay']).toBe('false');
      expect(request.json.trackingId).toMatch(/^LAP-/);
    }
    expect(signatureHolds({ ...accepted[0]!, body: accepted[0]!.body.replace('pengaduan', 'aspirasi') }, secret)).toBe(false);
    const sequences = perComplaint(accepted);
    for (const complaintId of complaints) {
      const wanted = (await world.events(complaintId)).filter((event) => event.type !== 'FollowUpPosted');
      expect(sequences.get(complaintId)).toEqual(wanted.map((event) => event.id));
    }
  });

  it('given systems of NTT, of Sikka and of nasional, then each hears only the complaints in its scope, a hand-off by the side it was on', async () => {
    const [ntt, sikka, national] = [await world.receiver(), await world.receiver(), await world.receiver()];
    await world.subscribe(await world.apiKey(NTT), { url: ntt.url, eventTypes: ['*'] });
    await world.subscribe(await world.apiKey(SIKKA), { url: sikka.url, eventTypes: ['*'] });
    await world.subscribe(await world.staff('admin_nasional', NASIONAL), { url: national.url, eventTypes: ['*'] });

    const { complaintId: nttOwn } = await world.submit(NTT);
    await world.verify(nttOwn);
    // came in nationally, sent to NTT, returned by NTT as not its authority, sent on to Sikka
    const { complaintId: wandering } = await world.submit(NASIONAL);
    await world.verify(wandering, ADMIN_NASIONAL);
    await world.dispose(wandering, NTT, ADMIN_NASIONAL);
    await world.act(
      { type: 'ReturnComplaint', data: { complaintId: wandering, to: world.context.directory.tree.nodeRef(NASIONAL), reason: 'Bukan wewenang provinsi' } },
      adminOf(NTT),
    );
    await world.dispose(wandering, SIKKA, ADMIN_NASIONAL);
    await world.queued();
    await world.dispatcher().dispatch();

    const types = (receiver: typeof ntt, complaintId: string) =>
      receiver
        .accepted()
        .filter((r) => r.json.complaintId === complaintId)
        .map((r) => r.json.type);
    expect(types(ntt, nttOwn)).toEqual(['ComplaintSubmitted', 'ComplaintVerified']);
    expect(types(ntt, wandering)).toEqual(['ComplaintDisposed', 'ComplaintReturned']);
    expect(types(sikka, nttOwn)).toEqual([]);
    expect(types(sikka, wandering)).toEqual(['ComplaintDisposed']);
    expect(sikka.accepted()[0]!.json.data.to).toMatchObject({ id: SIKKA });
    expect(types(national, wandering)).toEqual(['ComplaintSubmitted', 'ComplaintVerified', 'ComplaintDisposed', 'ComplaintReturned', 'ComplaintDisposed']);
    expect(types(national, nttOwn)).toEqual(['ComplaintSubmitted', 'ComplaintVerified']);
  });

  it('given a complaint with the reporter’s identity, then no delivery, and nothing the outbox stores, holds any of it', async () => {
    const receiver = await world.receiver();
    await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['*'] });
    const { complaintId, reporterRef, sealed } = await world.submit(NTT);
    await world.verify(complaintId);
    await world.dispose(complaintId, PUPR);
    await world.followUp(complaintId);
    await world.act(
      { type: 'ReplyToFollowUp', data: { complaintId, replyId: randomUUID(), message: 'Masih berlubang di sisi timur', attachments: [] } },
      { role: 'reporter', id: reporterRef, nodeId: null },
    );
    await world.queued();
    await world.dispatcher().dispatch();

    expect(receiver.accepted().map((r) => r.json.type)).toEqual([
      'ComplaintSubmitted',
      'ComplaintVerified',
      'ComplaintDisposed',
      'FollowUpPosted',
      'ReporterReplied',
    ]);
    const outboxRows = JSON.stringify([
      ...(await world.db.query(`SELECT * FROM webhooks.events`)),
      ...(await world.db.query(`SELECT * FROM webhooks.complaints`)),
    ]);
    for (const text of [...receiver.received.map((r) => JSON.stringify(r)), outboxRows]) {
      for (const secret of [reporterRef, sealed, ...Object.values(IDENTITY)]) expect(text).not.toContain(secret);
    }
    const submitted = receiver.accepted()[0]!.json.data;
    expect(submitted).not.toHaveProperty('reporter');
    expect(submitted).not.toHaveProperty('reporterRef');
    expect(receiver.accepted()[4]!.json.data.by).toEqual({ role: 'reporter', id: null, nodeId: null });
  });

  it('given a receiver that answers 500 for a while, then the delivery is retried with growing pauses and, once it recovers, delivered once, the next after it', async () => {
    const receiver = await world.receiver(({ index }) => (index < 3 ? 500 : 204));
    const { id } = await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['*'] });
    const { complaintId } = await world.submit(NTT);
    await world.verify(complaintId);
    await world.queued();
    const dispatcher = world.dispatcher();
    const started = world.clock.now.getTime();

    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 1, paused: 0 }); // the verification waits behind it
    world.advance(700);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 0, paused: 0 }); // not due yet: 750 ms (1 s, jitter ½)
    world.advance(50);
    expect((await dispatcher.dispatch()).failed).toBe(1);
    world.advance(1_500); // then 1.5 s (2 s, jitter ½)
    expect((await dispatcher.dispatch()).failed).toBe(1);
    world.advance(2_999); // then 3 s
    expect((await dispatcher.dispatch()).failed).toBe(0);
    const failing = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}`, headers: await world.apiKey(NTT) });
    expect(failing.json()).toMatchObject({ status: 'active', consecutiveFailures: 3, failingSince: new Date(started).toISOString() });
    world.advance(1);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 2, failed: 0, paused: 0 });
    const recovered = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}`, headers: await world.apiKey(NTT) });
    expect(recovered.json()).toMatchObject({ status: 'active', consecutiveFailures: 0, failingSince: null, pendingDeliveries: 0 });

    const [submitted, verified] = await world.events(complaintId);
    expect(receiver.received.map((r) => [r.json.id, r.answered])).toEqual([
      [submitted!.id, 500],
      [submitted!.id, 500],
      [submitted!.id, 500],
      [submitted!.id, 204],
      [verified!.id, 204],
    ]);
    const log = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}/deliveries`, headers: await world.apiKey(NTT) });
    expect(log.statusCode).toBe(200);
    const [second, first] = log.json<{
      deliveries: {
        eventId: string;
        status: string;
        attempts: number;
        attemptLog: { at: string; statusCode: number; latencyMs: number; error: string | null }[];
      }[];
    }>().deliveries;
    expect(second).toMatchObject({ eventId: verified!.id, status: 'delivered', attempts: 1 });
    expect(first).toMatchObject({ eventId: submitted!.id, status: 'delivered', attempts: 4 });
    expect(first!.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 204]);
    expect(first!.attemptLog[0]!.error).toBe('HTTP 500: receiver says 500');
    expect(first!.attemptLog.map((attempt) => new Date(attempt.at).getTime() - started)).toEqual([0, 750, 2_250, 5_250]);
    for (const attempt of first!.attemptLog) expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('given a receiver that keeps failing, then it is paused with a reason and its deliveries held; resumed, they all arrive in order', async () => {
    let down = true;
    const receiver = await world.receiver(() => (down ? 503 : 200));
    const key = await world.apiKey(NTT);
    const { id } = await world.subscribe(key, { url: receiver.url, eventTypes: ['*'] });
    const complaints = [];
    for (let index = 0; index < 6; index++) complaints.push((await world.submit(NTT)).complaintId);
    await world.queued();

    const dispatcher = world.dispatcher();
    expect(await dispatcher.dispatch()).toMatchObject({ delivered: 0, failed: 6, paused: 1 }); // 5 in a row pause it
    const paused = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}`, headers: key });
    expect(paused.json()).toMatchObject({ status: 'paused', consecutiveFailures: 6, pendingDeliveries: 6 });
    expect(paused.json<{ pausedReason: string }>().pausedReason).toMatch(/deliveries failed in a row \(last error: HTTP 503: receiver says 503\)/);

    // events go on arriving while it is paused: held, not tried, not lost
    await world.verify(complaints[0]!);
    await world.queued();
    world.advance(24 * 60 * 60_000);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 0, paused: 0 });
    expect(receiver.received).toHaveLength(6);
    const held = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}/deliveries?status=held`, headers: key });
    expect(held.json<{ deliveries: unknown[] }>().deliveries).toHaveLength(7);

    down = false;
    const resumed = await world.app.inject({ method: 'POST', url: `/webhooks/subscriptions/${id}/resume`, headers: key });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({ status: 'active', pausedReason: null, consecutiveFailures: 0, pendingDeliveries: 7 });
    expect(await dispatcher.dispatch()).toEqual({ delivered: 7, failed: 0, paused: 0 });
    const sequences = perComplaint(receiver.accepted());
    for (const complaintId of complaints) expect(sequences.get(complaintId)).toEqual((await world.events(complaintId)).map((event) => event.id));
  });

  it('given a replay from a moment or from a global position, then the events from there are delivered again under the same ids, marked as replays', async () => {
    const receiver = await world.receiver();
    const key = await world.apiKey(NTT);
    const { id, secret } = await world.subscribe(key, { url: receiver.url, eventTypes: ['*'] });
    const { complaintId: early } = await world.submit(NTT);
    await world.verify(early);
    await world.queued();
    await world.dispatcher().dispatch();
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { complaintId: late } = await world.submit(NTT);
    await world.verify(late);
    await world.dispose(early, PUPR);
    await world.queued();
    await world.dispatcher().dispatch();
    const live = receiver.accepted().map((r) => r.json.id);
    expect(live).toHaveLength(5);
    const fromCut = live.slice(2);

    const byTime = await world.app.inject({ method: 'POST', url: `/webhooks/subscriptions/${id}/replay`, headers: key, payload: { from: cut.toISOString() } });
    expect(byTime.statusCode).toBe(202);
    expect(byTime.json()).toMatchObject({ enqueued: 3, from: cut.toISOString() });
    await world.dispatcher().dispatch();
    const replayed = receiver.accepted().slice(5);
    expect(replayed.map((r) => r.json.id).sort()).toEqual([...fromCut].sort());
    for (const request of replayed) {
      expect(request.json.replay).toBe(true);
      expect(request.headers['x-lapor-replay']).toBe('true');
      expect(signatureHolds(request, secret)).toBe(true);
    }

    const [lateSubmitted] = await world.events(late);
    const byPosition = await world.app.inject({
      method: 'POST',
      url: `/webhooks/subscriptions/${id}/replay`,
      headers: key,
      payload: { from: lateSubmitted!.position.toString() },
    });
    expect(byPosition.json()).toMatchObject({ enqueued: 3 });
    await world.dispatcher().dispatch();
    expect(
      receiver
        .accepted()
        .slice(8)
        .map((r) => r.json.id)
        .sort(),
    ).toEqual([...fromCut].sort());
    expect(
      receiver
        .accepted()
        .slice(8)
        .map((r) => r.headers['x-lapor-global-position']),
    ).toContain(lateSubmitted!.position.toString());

    const log = await world.app.inject({ method: 'GET', url: `/webhooks/subscriptions/${id}/deliveries?limit=6`, headers: key });
    const page = log.json<{ deliveries: { replayId: string | null }[]; next: string }>();
    expect(page.deliveries.every((delivery) => delivery.replayId !== null)).toBe(true);
    expect(page.next).toMatch(/^\d+$/);
  });

  it('given two dispatchers at once, then no delivery goes out twice and every complaint stays in order', async () => {
    // The receiver answers nothing until more posts are open at once than one dispatcher may hold
    // (2 lanes of 4), so both have claimed before either finishes: otherwise the first could drain
    // all sixty before the second's first claim and the test would prove nothing about two at once.
    const oneDispatcherAtMost = 2 * 4;
    let posted = 0; // while the receiver holds its answers, every post it got is still open
    let releaseAll!: () => void;
    const bothPosting = new Promise<void>((resolve) => (releaseAll = resolve));
    // should they not both post soon, the answers go before the posts time out (2 s) and the assertions below say so
    setTimeout(() => releaseAll(), 1_500).unref();
    const receiver = await world.receiver(async () => {
      if (++posted > oneDispatcherAtMost) releaseAll();
      await bothPosting;
      await new Promise((resolve) => setTimeout(resolve, 3));
      return 204;
    });
    await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['*'] });
    const complaints = [];
    for (let index = 0; index < 30; index++) {
      const { complaintId } = await world.submit(NTT);
      await world.verify(complaintId);
      complaints.push(complaintId);
    }
    await world.queued();
    const [one, two] = [world.dispatcher({ batchSize: 4, lanes: 2, concurrency: 4 }), world.dispatcher({ batchSize: 4, lanes: 2, concurrency: 4 })];

    const [a, b] = await Promise.all([one.dispatch(), two.dispatch()]);
    expect(a.delivered + b.delivered).toBe(60);
    expect(a.delivered).toBeGreaterThan(0);
    expect(b.delivered).toBeGreaterThan(0);
    expect(await one.dispatch()).toEqual({ delivered: 0, failed: 0, paused: 0 });

    const ids = receiver.received.map((r) => r.json.id);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toHaveLength(60);
    const sequences = perComplaint(receiver.received);
    for (const complaintId of complaints) expect(sequences.get(complaintId)).toEqual((await world.events(complaintId)).map((event) => event.id));
    const [counts] = await world.db.query<{ attempts: string; delivered: string }>(
      `SELECT (SELECT count(*) FROM webhooks.attempts)::text AS attempts, (SELECT count(*) FROM webhooks.deliveries WHERE status = 'delivered')::text AS delivered`,
    );
    expect(counts).toEqual({ attempts: '60', delivered: '60' });
  });

  it('given a running dispatcher, when an event is appended, then it is delivered without being asked', async () => {
    const receiver = await world.receiver();
    await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['ComplaintSubmitted'] });
    const dispatcher = world.dispatcher();
    dispatcher.start(60_000); // a long poll: only the NOTIFY can wake it in time
    try {
      await world.submit(NTT);
      const deadline = Date.now() + 10_000;
      while (receiver.accepted().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(receiver.accepted()).toHaveLength(1);
    } finally {
      await dispatcher.stop();
    }
  });
});
