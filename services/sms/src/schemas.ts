import { nameSchemas } from '@lapor/http-kit';
import { z } from 'zod';
import { PROVIDER_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './inbound/signature';

/** One SMS as the gateway provider posts it. */
export const InboundSmsBody = z.strictObject({
  /** The provider's own id of the message: a retry carries the same one. */
  messageId: z.string().trim().min(1).max(200),
  /** The sender's number, as the provider has it (08…, 628…, +62 8…): personal data, never logged. */
  from: z.string().min(3).max(40),
  /** What the citizen wrote, up to a long concatenated SMS. */
  text: z.string().max(2_000),
  /** When the provider received it. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});
export type InboundSmsBody = z.infer<typeof InboundSmsBody>;

export const InboundSmsHeaders = z.object({
  [PROVIDER_HEADER]: z.string().min(1).max(50).describe('The provider’s name, as configured in LAPOR_SMS_PROVIDERS'),
  [TIMESTAMP_HEADER]: z
    .string()
    .regex(/^\d{1,12}$/)
    .describe('Unix seconds when the provider signed; at most 5 minutes old'),
  [SIGNATURE_HEADER]: z.string().min(1).max(200).describe('sha256=<hex>: HMAC-SHA256 of "<timestamp>.<raw body>" with the provider’s secret'),
});

export const InboundSmsAccepted = z.object({
  messageId: z.string(),
  /** What the message did: a new complaint, a status answer, a reply or missing data on one, or help. */
  action: z.enum(['submitted', 'status', 'replied', 'missing_data_supplied', 'refused', 'help']),
  trackingId: z.string().optional(),
  /** Why the sender got help or a refusal (e.g. too_short, not_found, closed). */
  reason: z.string().optional(),
  /** SMS replies queued for the sender (the outbox sends them). */
  repliesQueued: z.number().int(),
});

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { InboundSmsBody, InboundSmsAccepted },
  {
    InboundSmsBody: {
      description: 'An SMS to 1708, as the provider forwards it (signed)',
      examples: [
        {
          messageId: 'sms-20261120-000123',
          from: '+6281234567890',
          text: 'LAPOR Jalan rusak di Desa Oelnasi, Kupang Tengah',
          receivedAt: '2026-11-20T01:15:00Z',
        },
      ],
    },
    InboundSmsAccepted: {
      description: 'What the SMS did, and how many replies it queued for the sender',
      examples: [{ messageId: 'sms-20261120-000123', action: 'submitted', trackingId: 'LAP-7KQ2M9XH4D', repliesQueued: 1 }],
    },
  },
);
