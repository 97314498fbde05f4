import { ComplaintKind } from '@lapor/domain';
import { ReporterIdentity } from '@lapor/personal-data';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A complaint as any door hands it in: POST /complaints takes it as it is; Open311 and SMS build it from their own formats. */
export const SubmissionBody = z.strictObject({
  kind: ComplaintKind,
  /** Public submissions come from the web or the app; staff type in letters, visits, calls, e-mail and social media. */
  channel: z.enum(['web', 'mobile_app', 'letter', 'face_to_face', 'call_centre', 'email', 'social_media', 'sms_1708', 'integration']),
  title: text(300),
  description: text(10_000),
  occurredOn: z.iso.date().optional(),
  location: text(300).optional(),
  /** Where it is addressed: `nasional` or an instansi id. Default: an agency system's own instansi, else nasional. */
  addressedTo: z.string().min(1).max(100).optional(),
  /** Who reports: sealed at once (AES-256-GCM, a key per complaint); never logged, never sent out in clear. */
  reporter: ReporterIdentity.optional(),
  /** Anonymous: the identity is kept (sealed) but shown to nobody handling the complaint. */
  anonymous: z.boolean().default(false),
  confidential: z.boolean().default(false),
  /** A letter number, a ticket id of the sender. */
  externalReference: text(300).optional(),
});
export type SubmissionBody = z.infer<typeof SubmissionBody>;
