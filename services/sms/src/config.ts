import { MASTER_KEY_VARIABLE, masterKeyFromEnv } from '@lapor/personal-data';
import { z } from 'zod';
import { RESERVED_WORDS, type RegionalKeywords } from './grammar/parse';
import { reporterKeyFromMasterKey } from './phone/reporter-ref';

/** The demo organisation's NTT (gateway/src/seed/demo-organisation.ts NTT_ID): `NTT …` reaches it out of the box. */
export const DEMO_NTT_INSTANSI_ID = 'pemprov-ntt';
export const DEFAULT_KEYWORDS = `NTT:${DEMO_NTT_INSTANSI_ID}`;

export interface OutboundConfig {
  /** The provider's send endpoint: POST, JSON (see outbox/http-sender.ts). */
  readonly url: string;
  /** Sent as `authorization: Bearer …` when set. */
  readonly token?: string;
  readonly timeoutMs: number;
  /** The sender the provider shows, the short code. */
  readonly from: string;
}

export interface SmsConfig {
  /** Provider name → its secrets (more than one while a secret is being rotated). */
  readonly providers: ReadonlyMap<string, readonly string[]>;
  readonly keywords: RegionalKeywords;
  /** Keys the sender's reporter reference; never stored. */
  readonly reporterKey: Buffer;
  /** Null: replies queue up in the outbox and wait until a provider is configured. */
  readonly outbound: OutboundConfig | null;
  /** Parts a concatenated reply may have; longer ones are cut. */
  readonly maxParts: number;
  readonly retry: { readonly firstMs: number; readonly maxMs: number; readonly giveUpAfterMs: number };
  /** The longest pause between two looks at the outbox. */
  readonly dispatchEveryMs: number;
  /** How old a signed request may be (and how far in the future): 5 minutes. */
  readonly signatureToleranceMs: number;
  /** How long a claimed message is left to its sender before another may take it over. */
  readonly leaseMs: number;
}

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const Provider = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,49}:[^\s,]{16,}$/i, 'name:secret, the secret at least 16 characters');
const Keyword = z
  .string()
  .regex(/^[A-Za-z0-9]{2,20}:[^\s,:]{1,100}$/, 'KEYWORD:instansi-id, the keyword 2 to 20 letters or digits')
  .refine((entry) => !RESERVED_WORDS.has(entry.split(':')[0]!.toUpperCase()), 'STATUS, CEK, BANTUAN, INFO, HELP, MENU and LAP are reserved');

const Environment = z.object({
  LAPOR_SMS_PROVIDERS: list(Provider).default([]),
  LAPOR_SMS_KEYWORDS: list(Keyword).default([DEFAULT_KEYWORDS]),
  LAPOR_SMS_OUTBOUND_URL: z.url({ protocol: /^https?$/ }).optional(),
  LAPOR_SMS_OUTBOUND_TOKEN: z.string().min(1).optional(),
  LAPOR_SMS_OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LAPOR_SMS_SENDER: z.string().min(1).max(20).default('1708'),
  LAPOR_SMS_MAX_PARTS: z.coerce.number().int().min(1).max(10).default(5),
  LAPOR_SMS_REPORTER_KEY: z.base64().optional(),
  LAPOR_SMS_RETRY_FIRST_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  LAPOR_SMS_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(600_000),
  LAPOR_SMS_GIVE_UP_AFTER_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 30)
    .default(72),
  LAPOR_SMS_DISPATCH_EVERY_MS: z.coerce.number().int().min(20).max(60_000).default(1_000),
});

export class SmsConfigError extends Error {
  constructor(message: string) {
    super(`sms: invalid configuration: ${message}`);
    this.name = 'SmsConfigError';
  }
}

/**
 * The SMS channel's configuration from the environment. The reporter key is LAPOR_SMS_REPORTER_KEY,
 * else derived from the master key (`masterKey`, or LAPOR_MASTER_KEY): one of them must be there.
 * Throws SmsConfigError naming the variable.
 */
export function smsConfigFromEnv(env: NodeJS.ProcessEnv = process.env, options: { masterKey?: Buffer } = {}): SmsConfig {
  // compose passes an unset variable as '' (${VAR:-}): the same as absent
  const given = Object.fromEntries(Object.entries(env).filter(([name, value]) => !(name.startsWith('LAPOR_SMS_') && value?.trim() === '')));
  const parsed = Environment.safeParse(given);
  if (!parsed.success) throw new SmsConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const e = parsed.data;
  const providers = new Map<string, string[]>();
  for (const entry of e.LAPOR_SMS_PROVIDERS) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).toLowerCase();
    providers.set(name, [...(providers.get(name) ?? []), entry.slice(at + 1)]);
  }
  const keywords = new Map(e.LAPOR_SMS_KEYWORDS.map((entry) => [entry.split(':')[0]!.toUpperCase(), entry.split(':')[1]!] as const));
  let reporterKey: Buffer;
  if (e.LAPOR_SMS_REPORTER_KEY) {
    reporterKey = Buffer.from(e.LAPOR_SMS_REPORTER_KEY, 'base64');
    if (reporterKey.length < 32) throw new SmsConfigError(`LAPOR_SMS_REPORTER_KEY: at least 32 bytes in base64, got ${reporterKey.length}`);
  } else if (options.masterKey) {
    reporterKey = reporterKeyFromMasterKey(options.masterKey);
  } else {
    try {
      reporterKey = reporterKeyFromMasterKey(masterKeyFromEnv(given).key);
    } catch (error) {
      throw new SmsConfigError(`LAPOR_SMS_REPORTER_KEY is not set and ${MASTER_KEY_VARIABLE} cannot be used: ${(error as Error).message}`);
    }
  }
  return {
    providers,
    keywords,
    reporterKey,
    outbound: e.LAPOR_SMS_OUTBOUND_URL
      ? {
          url: e.LAPOR_SMS_OUTBOUND_URL,
          ...(e.LAPOR_SMS_OUTBOUND_TOKEN ? { token: e.LAPOR_SMS_OUTBOUND_TOKEN } : {}),
          timeoutMs: e.LAPOR_SMS_OUTBOUND_TIMEOUT_MS,
          from: e.LAPOR_SMS_SENDER,
        }
      : null,
    maxParts: e.LAPOR_SMS_MAX_PARTS,
    retry: { firstMs: e.LAPOR_SMS_RETRY_FIRST_MS, maxMs: e.LAPOR_SMS_RETRY_MAX_MS, giveUpAfterMs: e.LAPOR_SMS_GIVE_UP_AFTER_HOURS * 3_600_000 },
    dispatchEveryMs: e.LAPOR_SMS_DISPATCH_EVERY_MS,
    signatureToleranceMs: 5 * 60_000,
    leaseMs: Math.max(60_000, e.LAPOR_SMS_OUTBOUND_TIMEOUT_MS * 3),
  };
}
