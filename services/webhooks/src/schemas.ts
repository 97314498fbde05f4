import { documentWebhooks, nameSchemas, NextCursor, pageCursor, pageLimit } from '@lapor/http-kit';
import {
  complaintEventTypes,
  EXAMPLE_COMPLAINT,
  NodeId,
  perEventType,
  PUBLIC_EVENT_ACTOR_EXAMPLES,
  PUBLIC_EVENT_DATA_EXAMPLES,
  PublicActor,
} from '@lapor/domain';
import { z } from 'zod';
import type { DestinationPolicy } from './destinations';
import { receiverUrlProblem } from './receiver-url';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, GLOBAL_POSITION_HEADER, REPLAY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing';

// The HTTP shapes of the webhooks routes. The URL rule depends on the deployment (plain http to
// localhost only where allowed), so the input schema is made per plugin.

const EVENT_TYPES = complaintEventTypes();
export const EventTypeChoice = z.enum(['*', ...EVENT_TYPES]).describe('A complaint event type, or * for all of them');

/** The body of POST /webhooks/subscriptions under this deployment's URL rule, named as the document first named it. */
export const subscriptionInput = (allowInsecureLocalhost: boolean, destinations: DestinationPolicy) => {
  const body = subscriptionBody(allowInsecureLocalhost, destinations);
  nameSchemas(
    { CreateWebhookSubscriptionBody: body },
    {
      CreateWebhookSubscriptionBody: {
        description: 'A receiver to register: where deliveries go, which event types it hears, and (for Admin Nasional) whose complaints',
        examples: [
          {
            url: 'https://simpel.nttprov.go.id/lapor/webhook',
            eventTypes: ['ComplaintDisposed', 'FollowUpPosted'],
            description: 'SIMPEL Pemprov NTT: disposisi dan tindak lanjut',
          },
        ],
      },
    },
  );
  return body;
};

const subscriptionBody = (allowInsecureLocalhost: boolean, destinations: DestinationPolicy) =>
  z.strictObject({
    url: z
      .string()
      .max(2000)
      .superRefine((value, check) => {
        const problem = receiverUrlProblem(value, allowInsecureLocalhost, destinations);
        if (problem) check.addIssue({ code: 'custom', message: problem });
      })
      .describe(
        'Where deliveries are POSTed: https (plain http only to localhost, and only where the operator allows it). Only public addresses: a host that is, or resolves to, a private, loopback, link-local or metadata address is refused (at every delivery too), unless the operator allows its network.',
      ),
    eventTypes: z
      .array(EventTypeChoice)
      .min(1)
      .max(EVENT_TYPES.length)
      .refine((types) => !types.includes('*') || types.length === 1, '* stands alone: it means every type')
      .refine((types) => new Set(types).size === types.length, 'each type once'),
    description: z.string().trim().min(1).max(300).optional(),
    instansiId: NodeId.optional().describe(
      'Whose complaints: your own instansi by default. Admin Nasional may name any instansi, or nasional for every complaint.',
    ),
  });

export const Subscription = z.object({
  id: z.uuid(),
  instansiId: z.string().describe('The instansi (or nasional) whose complaints it hears'),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  status: z.enum(['active', 'paused']),
  pausedReason: z.string().nullable().describe('Why deliveries are held; resume once the receiver is fixed'),
  pausedAt: z.string().nullable(),
  consecutiveFailures: z.int(),
  failingSince: z.string().nullable(),
  pendingDeliveries: z.int().describe('Waiting to go, or held while paused'),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const SubscriptionCreated = Subscription.extend({
  secret: z.string().describe('The HMAC-SHA256 key of the x-lapor-signature header. Shown this once: store it now.'),
});

export const SubscriptionParams = z.object({ subscriptionId: z.uuid() });

export const ReplayInput = z.strictObject({
  from: z
    .string()
    .refine(
      (value) => /^\d{1,19}$/.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success,
      'an ISO 8601 time with its offset (2025-03-01T00:00:00+07:00) or a global position (digits, as in x-lapor-global-position)',
    )
    .describe('Replay events recorded at or after this time, or at or after this global position'),
});

export const ReplayAccepted = z.object({
  replayId: z.uuid(),
  from: z.string(),
  enqueued: z.int().describe('Deliveries queued again; they go out in order, marked as replays, under their original event ids'),
});

const Attempt = z.object({
  at: z.string(),
  outcome: z.enum(['delivered', 'failed']),
  statusCode: z.int().nullable(),
  latencyMs: z.int(),
  error: z.string().nullable(),
});

export const Delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  complaintId: z.string(),
  globalPosition: z.string(),
  replayId: z.string().nullable(),
  status: z.enum(['pending', 'held', 'delivered', 'cancelled']),
  attempts: z.int(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  lastStatusCode: z.int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  attemptLog: z.array(Attempt),
});

/** A delivery id, as `next` gives it: where an older page starts. */
export const DELIVERY_CURSOR = /^\d{1,19}$/;

export const DeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'held', 'delivered', 'cancelled']).optional(),
  limit: pageLimit(200, 50),
  cursor: pageCursor.optional(),
  before: z.string().regex(DELIVERY_CURSOR, 'a delivery id from a previous page (next)').optional().describe('The older name of `cursor`'),
});

export const DeliveryPage = z.object({
  deliveries: z.array(Delivery),
  nextCursor: NextCursor,
  next: z.string().nullable().describe('The same as nextCursor, under its older name: pass as `before` for the next (older) page'),
});

export const SubscriptionsQuery = z.strictObject({
  // a node holds a handful; nasional sees every instansi's, so the list pages like any other
  limit: pageLimit(200, 100),
  cursor: pageCursor.optional(),
});

export const SubscriptionList = z.object({ subscriptions: z.array(Subscription), nextCursor: NextCursor });

// ---------------------------------------------------------------------------
// What a receiver is sent: one body per event type, built from the event's own schema (its data less
// the reporter's identity, see @lapor/domain public-data), exactly the JSON deliveryBody writes.
// ---------------------------------------------------------------------------

/** Per event type, the body a receiver is sent (`<Type>Webhook` in the document). */
export const WEBHOOK_BODIES = perEventType((type, data) =>
  z.object({
    id: z.uuid().describe('The event id: the same on every delivery and replay of this event, to deduplicate on'),
    type: z.literal(type),
    occurredAt: z.string().describe('When it happened (ISO 8601)'),
    complaintId: z.uuid(),
    trackingId: z.string().optional().describe('Absent until the complaint has one'),
    replay: z.boolean().describe('True when this delivery is a replay someone asked for'),
    data: data.extend({ at: z.string(), by: PublicActor }),
  }),
);

const webhookNames = Object.fromEntries([...WEBHOOK_BODIES].map(([type, schema]) => [`${type}Webhook`, schema]));

// The names these shapes have in the API document (components.schemas), for generated clients.
const SUBSCRIPTION_EXAMPLE = {
  id: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f',
  instansiId: 'pemprov-ntt',
  url: 'https://simpel.nttprov.go.id/lapor/webhook',
  eventTypes: ['ComplaintDisposed', 'FollowUpPosted'],
  description: 'SIMPEL Pemprov NTT: disposisi dan tindak lanjut',
  status: 'active',
  pausedReason: null,
  pausedAt: null,
  consecutiveFailures: 0,
  failingSince: null,
  pendingDeliveries: 0,
  createdBy: 'admin.ntt',
  createdAt: '2026-11-20T01:15:00.000Z',
};

const DELIVERY_EXAMPLE = {
  id: '1201',
  eventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  eventType: 'FollowUpPosted',
  complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f',
  globalPosition: '5123',
  replayId: null,
  status: 'delivered',
  attempts: 2,
  nextAttemptAt: null,
  deliveredAt: '2026-11-23T03:41:05.000Z',
  lastStatusCode: 200,
  lastError: null,
  createdAt: '2026-11-23T03:40:00.000Z',
  attemptLog: [
    { at: '2026-11-23T03:40:01.000Z', outcome: 'failed', statusCode: 503, latencyMs: 812, error: 'Layanan penerima sedang sibuk' },
    { at: '2026-11-23T03:41:05.000Z', outcome: 'delivered', statusCode: 200, latencyMs: 143, error: null },
  ],
};

// Each body's example: the demo complaint's event, as a receiver is sent it.
const webhookDocs = Object.fromEntries(
  [...WEBHOOK_BODIES.keys()].map((type, index) => [
    `${type}Webhook`,
    {
      description: `The body a receiver is sent for a ${type} event`,
      examples: [
        {
          id: `7c9e6679-7425-40de-944b-${(0xe07fc1f90a00 + index).toString(16)}`,
          type,
          occurredAt: PUBLIC_EVENT_ACTOR_EXAMPLES[type].at,
          complaintId: EXAMPLE_COMPLAINT.complaintId,
          trackingId: EXAMPLE_COMPLAINT.trackingId,
          replay: false,
          data: { ...PUBLIC_EVENT_DATA_EXAMPLES[type], ...PUBLIC_EVENT_ACTOR_EXAMPLES[type] },
        },
      ],
    },
  ]),
);

nameSchemas(
  {
    Subscription,
    SubscriptionCreated,
    ReplayAccepted,
    Delivery,
    DeliveryPage,
    PublicActor,
    ListWebhookSubscriptionsAnswer: SubscriptionList,
    ReplayWebhookSubscriptionBody: ReplayInput,
    ...webhookNames,
  },
  {
    ...webhookDocs,
    ListWebhookSubscriptionsAnswer: {
      description: 'The subscriptions of the caller’s node, a page at a time; nextCursor is where the next page starts',
      examples: [{ subscriptions: [SUBSCRIPTION_EXAMPLE], nextCursor: null }],
    },
    ReplayWebhookSubscriptionBody: {
      description: 'Where a replay starts: a time with its offset, or a global position as x-lapor-global-position gave it',
      examples: [{ from: '2026-11-20T00:00:00+08:00' }, { from: '1200' }],
    },
    DeliveryPage: {
      description: 'A page of a subscription’s deliveries, newest first; nextCursor is where the older page starts',
      examples: [{ deliveries: [DELIVERY_EXAMPLE], nextCursor: '1200', next: '1200' }],
    },
    Subscription: { description: 'A receiver told of its instansi’s complaint events, and how its deliveries fare', examples: [SUBSCRIPTION_EXAMPLE] },
    SubscriptionCreated: {
      description: 'The subscription made, with the signing secret shown this once',
      examples: [{ ...SUBSCRIPTION_EXAMPLE, secret: 'whsec_4f1c2b9e8a4d4e6f9b1a2c3d4e5f6a7b' }],
    },
    Delivery: {
      description: 'One event sent (or to be sent) to a subscription, with every attempt',
      examples: [DELIVERY_EXAMPLE],
    },
    PublicActor: {
      description: 'Who acted, as a receiver may know it: a role, and the staff account and node where there is one',
      examples: [{ role: 'liaison', id: 'penghubung.pupr', nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat' }],
    },
    ReplayAccepted: {
      description: 'A replay queued: the events from the position asked for, delivered again (replay: true)',
      examples: [{ replayId: '3f1c2b9e-8a4d-4e6f-9b1a-2c3d4e5f6a7b', from: '1200', enqueued: 37 }],
    },
  },
);

// The document's `webhooks`: one entry per event type, as a receiver's endpoint would be called.
documentWebhooks(
  Object.fromEntries(
    [...WEBHOOK_BODIES.keys()].map((type) => [
      type,
      {
        schema: `${type}Webhook`,
        summary: `${type}, POSTed to a subscription's url`,
        description:
          'Signed: x-lapor-signature is v1=<hex HMAC-SHA256(secret, "<x-lapor-timestamp>.<body>")>. ' +
          'Answer 2xx within the timeout; anything else is retried with backoff, then the subscription is paused.',
        headers: {
          [SIGNATURE_HEADER]: 'v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the subscription secret>',
          [TIMESTAMP_HEADER]: 'Unix seconds the signature was made at; refuse one older than 5 minutes',
          [EVENT_ID_HEADER]: 'The event id (as `id` in the body)',
          [EVENT_TYPE_HEADER]: 'The event type (as `type` in the body)',
          [DELIVERY_ID_HEADER]: 'This delivery',
          [REPLAY_HEADER]: 'true on a replay, else false',
          [GLOBAL_POSITION_HEADER]: "The event's place in the global log, to ask for a replay from",
        },
      },
    ]),
  ),
);
