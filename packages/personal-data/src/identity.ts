import { z } from 'zod';

/** Who reported: personal data, only ever stored sealed. Unknown fields are refused. */
export const ReporterIdentity = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(200).optional(),
  /** E.164, e.g. +6281234567890. */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{7,14}$/, 'a phone number in E.164 form, e.g. +6281234567890')
    .optional(),
  /** Nomor Induk Kependudukan: 16 digits. */
  nik: z
    .string()
    .regex(/^\d{16}$/, 'a NIK is 16 digits')
    .optional(),
  address: z.string().trim().min(1).max(500).optional(),
});
export type ReporterIdentity = z.infer<typeof ReporterIdentity>;
