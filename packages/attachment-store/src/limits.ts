import { z } from 'zod';

const MB = 1024 * 1024;
const bytes = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 40)
    .default(fallback);

/** How much may be attached, checked while the files stream in. */
export const AttachmentLimits = z.object({
  LAPOR_ATTACHMENT_MAX_FILE_BYTES: bytes(10 * MB),
  LAPOR_ATTACHMENT_MAX_FILES: z.coerce.number().int().min(1).max(20).default(5),
  LAPOR_ATTACHMENT_MAX_COMPLAINT_BYTES: bytes(25 * MB),
});
export type AttachmentLimits = z.infer<typeof AttachmentLimits>;

/** From the environment; a bad value throws naming the variable. */
export function attachmentLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): AttachmentLimits {
  const parsed = AttachmentLimits.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
