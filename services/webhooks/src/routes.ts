import type { SqlRunner } from '@lapor/sql';
import {
  API_KEY_HEADER,
  badCursor,
  forbidden,
  HttpProblem,
  linkToNext,
  notFound,
  PAGED,
  pageByKey,
  Problem,
  requireIntegration,
  requireStaff,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DestinationPolicy } from './destinations';
import { hostOf } from './dispatcher';
import { listDeliveries } from './delivery-log';
import { replayEvents, type ReplayFrom } from './replay';
import {
  DELIVERY_CURSOR,
  DeliveriesQuery,
  DeliveryPage,
  ReplayAccepted,
  ReplayInput,
  Subscription,
  SubscriptionCreated,
  SubscriptionList,
  SubscriptionParams,
  SubscriptionsQuery,
  subscriptionInput,
} from './schemas';
import type { SubscriptionView, Subscriptions } from './subscriptions';
import { WEBHOOKS_SCHEMA } from './tables';

/** Who is asking, and the node whose subscriptions they manage. */
interface Caller {
  readonly scopeNodeId: string;
  /** api-key:<key id> or staff:<account id>, as recorded on what they register. */
  readonly as: string;
}

/**
 * An agency's system by its API key (the key's instansi), or an Admin Instansi / Admin Nasional by
 * their token (their node). A key of no instansi (the SMS 1708 gateway) hears no complaints.
 */
async function callerOf(request: FastifyRequest, context: WorkflowContext): Promise<Caller> {
  if (request.headers[API_KEY_HEADER] !== undefined) {
    const { key } = await requireIntegration(request, context.apiKeys);
    if (key.instansiId === null) {
      throw forbidden('This API key belongs to no instansi, so no complaint is in its scope; webhooks need a key issued for an instansi.');
    }
    return { scopeNodeId: key.instansiId, as: `api-key:${key.keyId}` };
  }
  const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
  return { scopeNodeId: actor.nodeId, as: `staff:${actor.id}` };
}

export interface WebhookHttpOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  readonly subscriptions: Subscriptions;
  readonly allowInsecureLocalhost: boolean;
  /** Which receiver hosts may be named (public addresses, and the networks the operator allows). */
  readonly destinations: DestinationPolicy;
  /** Deliveries became due here (a resume, a replay): the dispatcher in this process goes at once. */
  readonly poke: () => void;
}

/** The webhooks' HTTP face: register, list, read, delete, resume and replay subscriptions, and read their delivery log. */
export async function webhookHttpRoutes(app: FastifyInstance, options: WebhookHttpOptions): Promise<void> {
  const { context, db, subscriptions } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const security: Array<Record<string, string[]>> = [{ apiKey: [] }, { bearer: [] }];
  const common = { tags: ['webhooks'], security };
  const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

  /** The subscription when it exists and the caller manages its node; 404 alike for "absent" and "not yours". */
  const visible = async (request: FastifyRequest, subscriptionId: string): Promise<{ caller: Caller; subscription: SubscriptionView }> => {
    const caller = await callerOf(request, context);
    const subscription = await subscriptions.get(subscriptionId);
    if (!subscription || !context.directory.tree.isWithinScope(subscription.instansiId, caller.scopeNodeId)) {
      throw notFound(`No webhook subscription ${subscriptionId} that you manage.`);
    }
    return { caller, subscription };
  };

  routes.post(
    '/webhooks/subscriptions',
    {
      schema: {
        ...common,
        operationId: 'createWebhookSubscription',
        summary: 'Register a URL to be told of your complaints’ events (signed; the secret is shown once)',
        description:
          'Each delivery is a POST with the JSON body {id, type, occurredAt, complaintId, trackingId, replay, data} and the headers x-lapor-event-id, ' +
          'x-lapor-timestamp (Unix seconds) and x-lapor-signature: v1=hex(HMAC-SHA256(secret, "<timestamp>.<body>")). Refuse a timestamp more than ' +
          'five minutes off, and dedupe on the event id. Answer 2xx once stored; anything else is retried with backoff, and a receiver that keeps ' +
          'failing is paused. Reporter identity is never sent.',
        body: subscriptionInput(options.allowInsecureLocalhost, options.destinations),
        response: { 201: SubscriptionCreated, ...problems, 422: Problem },
      },
    },
    async (request, reply) => {
      const caller = await callerOf(request, context);
      const tree = context.directory.tree;
      const nodeId = request.body.instansiId ?? caller.scopeNodeId;
      if (!tree.has(nodeId)) throw new HttpProblem(422, 'unknown-node', 'Unknown node', `body.instansiId: no node ${nodeId}`);
      const kind = tree.node(nodeId).kind;
      if (kind !== 'instansi' && kind !== 'nasional') {
        throw new HttpProblem(
          422,
          'not-an-instansi',
          'Not an instansi',
          `body.instansiId: ${nodeId} is a ${kind}; subscriptions are per instansi (or nasional)`,
        );
      }
      if (!tree.isWithinScope(nodeId, caller.scopeNodeId)) throw forbidden(`body.instansiId: ${nodeId} is outside your scope (${caller.scopeNodeId}).`);
      const created = await subscriptions.create({
        id: context.newId(),
        nodeId,
        url: request.body.url,
        eventTypes: request.body.eventTypes,
        description: request.body.description ?? null,
        createdBy: caller.as,
      });
      request.log.info(
        { subscriptionId: created.id, instansiId: nodeId, host: hostOf(created.url), eventTypes: created.eventTypes, by: caller.as },
        `webhook subscription registered for ${nodeId} to ${hostOf(created.url)}`,
      );
      return reply.code(201).header('location', `/webhooks/subscriptions/${created.id}`).send(created);
    },
  );

  routes.get(
    '/webhooks/subscriptions',
    {
      schema: {
        ...common,
        operationId: 'listWebhookSubscriptions',
        summary: 'The subscriptions you manage, with their status and why any is paused',
        description: 'Oldest first, `limit` at a time: pass `nextCursor` as `cursor` (or follow the Link header) for the next page.',
        querystring: SubscriptionsQuery,
        response: { 200: SubscriptionList, 400: Problem, 401: Problem, 403: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const caller = await callerOf(request, context);
      const tree = context.directory.tree;
      // nasional sees every one; an instansi its own (subscriptions sit on instansi or nasional)
      const all = await subscriptions.list(caller.scopeNodeId === tree.root.id ? null : [caller.scopeNodeId]);
      const page = pageByKey(
        all.filter((subscription) => tree.isWithinScope(subscription.instansiId, caller.scopeNodeId)),
        (subscription) => `${subscription.createdAt} ${subscription.id}`,
        request.query,
      );
      linkToNext(request, reply, page.nextCursor === null ? null : { cursor: page.nextCursor });
      return { subscriptions: page.items, nextCursor: page.nextCursor };
    },
  );

  routes.get(
    '/webhooks/subscriptions/:subscriptionId',
    {
      schema: {
        ...common,
        operationId: 'getWebhookSubscription',
        summary: 'One subscription: its status, failures in a row, pending or held deliveries',
        params: SubscriptionParams,
        response: { 200: Subscription, ...problems },
      },
    },
    async (request) => (await visible(request, request.params.subscriptionId)).subscription,
  );

  routes.delete(
    '/webhooks/subscriptions/:subscriptionId',
    {
      schema: {
        ...common,
        operationId: 'deleteWebhookSubscription',
        summary: 'Stop a subscription: nothing more is queued for it, and what waits is cancelled',
        params: SubscriptionParams,
        response: { 204: z.null().describe('Deleted'), ...problems },
      },
    },
    async (request, reply) => {
      const { caller, subscription } = await visible(request, request.params.subscriptionId);
      const deleted = await subscriptions.delete(subscription.id, context.now());
      if (!deleted) throw notFound(`No webhook subscription ${subscription.id} that you manage.`);
      request.log.info(
        { subscriptionId: subscription.id, host: hostOf(subscription.url), cancelled: deleted.cancelled, by: caller.as },
        `webhook subscription to ${hostOf(subscription.url)} deleted; ${deleted.cancelled} waiting deliveries cancelled`,
      );
      return reply.code(204).send(null);
    },
  );

  routes.post(
    '/webhooks/subscriptions/:subscriptionId/resume',
    {
      schema: {
        ...common,
        operationId: 'resumeWebhookSubscription',
        summary: 'Resume a paused subscription: its held deliveries go out, in order',
        params: SubscriptionParams,
        response: { 200: Subscription, ...problems },
      },
    },
    async (request) => {
      const { caller, subscription } = await visible(request, request.params.subscriptionId);
      const resumed = await subscriptions.resume(subscription.id, context.now());
      if (!resumed) throw notFound(`No webhook subscription ${subscription.id} that you manage.`);
      if (resumed.wasPaused) {
        request.log.info(
          {
            subscriptionId: subscription.id,
            host: hostOf(subscription.url),
            released: resumed.released,
            pausedReason: subscription.pausedReason,
            by: caller.as,
          },
          `webhook subscription to ${hostOf(subscription.url)} resumed; ${resumed.released} held deliveries released`,
        );
        options.poke();
      }
      return resumed.subscription;
    },
  );

  routes.post(
    '/webhooks/subscriptions/:subscriptionId/replay',
    {
      schema: {
        ...common,
        operationId: 'replayWebhookSubscription',
        summary: 'Deliver again every matching event from a time or a global position, read from the event log',
        description:
          'The events go out again in order, under their original event ids (dedupe on them), with replay: true in the body and x-lapor-replay: true.',
        params: SubscriptionParams,
        body: ReplayInput,
        response: { 202: ReplayAccepted, ...problems },
      },
    },
    async (request, reply) => {
      const { caller, subscription } = await visible(request, request.params.subscriptionId);
      const from: ReplayFrom = /^\d+$/.test(request.body.from) ? { position: BigInt(request.body.from) } : { time: new Date(request.body.from) };
      const replayId = context.newId();
      const enqueued = await replayEvents({ store: context.store, db, tree: () => context.directory.tree, subscriptionId: subscription.id, replayId, from });
      await db.query(`INSERT INTO ${WEBHOOKS_SCHEMA}.replays (id, subscription_id, from_point, requested_by, enqueued) VALUES ($1, $2, $3, $4, $5)`, [
        replayId,
        subscription.id,
        request.body.from,
        caller.as,
        enqueued,
      ]);
      request.log.info(
        { subscriptionId: subscription.id, host: hostOf(subscription.url), replayId, from: request.body.from, enqueued, by: caller.as },
        `webhook replay for ${hostOf(subscription.url)} from ${request.body.from}: ${enqueued} deliveries queued`,
      );
      if (enqueued > 0) options.poke();
      return reply.code(202).send({ replayId, from: request.body.from, enqueued });
    },
  );

  routes.get(
    '/webhooks/subscriptions/:subscriptionId/deliveries',
    {
      schema: {
        ...common,
        operationId: 'listWebhookDeliveries',
        summary: 'A subscription’s deliveries, newest first, each with every attempt (status code, latency, error)',
        params: SubscriptionParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryPage, ...problems },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const { subscription } = await visible(request, request.params.subscriptionId);
      const { cursor } = request.query;
      if (cursor !== undefined && !DELIVERY_CURSOR.test(cursor)) throw badCursor();
      const before = cursor ?? request.query.before;
      const page = await listDeliveries(db, subscription.id, {
        limit: request.query.limit,
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(before ? { before } : {}),
      });
      linkToNext(request, reply, page.next === null ? null : { cursor: page.next }, ['before']);
      return { ...page, nextCursor: page.next };
    },
  );
}
