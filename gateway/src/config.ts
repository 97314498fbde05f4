import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IdempotencyTtlHours, TracingSettings, TrustedProxies } from '@lapor/http-kit';
import { receiverRules, ReceiverSettings, type ReceiverRules } from '@lapor/webhooks';
import { z } from 'zod';
import { FORWARDING_ENVIRONMENT, forwardingConfig, type ForwardingConfig } from './forwarding';
import { DEFAULT_DEMO_PASSWORD } from './seed/demo-accounts';

/** The embedded default's folder (LAPOR_DATA_DIR): the database in EMBEDDED_DATABASE_FOLDER, the master key file and the epoch keys beside it. */
export const DEFAULT_DATA_DIR = 'data';
export const EMBEDDED_DATABASE_FOLDER = 'eventstore';

const Environment = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Loopback unless the operator opens it (a container, a host behind a proxy: HOST=0.0.0.0). */
  HOST: z.string().min(1).default('127.0.0.1'),
  LAPOR_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs staff tokens; at least 32 characters. Absent, the embedded default keeps one in the data folder. */
  LAPOR_JWT_SECRET: z.string().min(32).optional(),
  LAPOR_IDEMPOTENCY_TTL_HOURS: IdempotencyTtlHours,
  /** How long a staff token lives, in seconds (default 8 h); the same value in every service, which refuse tokens claiming longer. */
  LAPOR_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 60 * 60)
    .optional(),
  /** The demo organisation and accounts on an empty store: only when asked for (infra/start.sh asks). */
  LAPOR_DEMO: z
    .enum(['1', 'true', '0', 'false', ''])
    .default('')
    .transform((value) => value === '1' || value === 'true'),
  LAPOR_DEMO_PASSWORD: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
  /** The first administrator (admin_nasional), created on a store with no account; the operator's own password. */
  LAPOR_FIRST_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3 to 64 lower-case letters, digits, dots, dashes or underscores')
    .default('admin'),
  LAPOR_FIRST_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(1024).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string')
    .optional(),
  /**
   * Distributed mode: the services' URLs, e.g. intake=http://intake:3001,verification=http://…;
   * needs DATABASE_URL. statistics=… and scheduler=… are optional: without one the gateway serves it
   * itself (the scheduler then sweeps here too).
   */
  LAPOR_SERVICE_URLS: z
    .string()
    .regex(/^([a-z-]+=https?:\/\/[^,]+)(,[a-z-]+=https?:\/\/[^,]+)*$/, 'name=url pairs separated by commas')
    .optional(),
  /** The proxies in front of the gateway (a load balancer) whose X-Forwarded-For is believed; see @lapor/http-kit's trust-proxy. */
  LAPOR_TRUST_PROXY: TrustedProxies,
  /** Requests in progress at once before 503; default 64 embedded (PGlite works on the event loop), 256 on PostgreSQL. */
  LAPOR_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).optional(),
  /** The event loop's mean delay (ms) before 503; default 200 embedded, 0 (off) on PostgreSQL. */
  LAPOR_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  ...TracingSettings,
  /** Where webhook receivers may be: one rule for the routes served here and those forwarded to the webhooks service. */
  ...ReceiverSettings,
});

/** The names LAPOR_SERVICE_URLS may use: a misspelt one would otherwise be ignored without a word. */
export const SERVICE_NAMES = [
  'intake',
  'verification',
  'disposition',
  'follow-up',
  'statistics',
  'scheduler',
  'sms',
  'webhooks',
  'administration',
  'attachments',
] as const;

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** The data folder: the embedded PostgreSQL (PGlite) lives in `<dataDir>/eventstore`. */
  readonly dataDir: string;
  readonly logLevel: string;
  readonly jwtSecret: string | undefined;
  readonly tokenLifetimeSeconds: number | undefined;
  /** How long an Idempotency-Key's answer is kept for retries. */
  readonly idempotencyKeptForMs: number;
  readonly demo: boolean;
  readonly demoPassword: string;
  readonly firstAdmin: { readonly username: string; readonly password: string } | undefined;
  /** A PostgreSQL server instead of the embedded store. */
  readonly databaseUrl: string | undefined;
  readonly serviceUrls: Readonly<Record<string, string>> | undefined;
  readonly trustProxy: TrustedProxies;
  readonly forwarding: ForwardingConfig;
  readonly maxInFlight: number;
  /** 0: not bounded. */
  readonly maxEventLoopDelayMs: number;
  /** Traces: the OTLP/HTTP collector's base URL (none: no tracing) and the name spans carry. */
  readonly tracing: { readonly endpoint: string | undefined; readonly serviceName: string };
  /** Which webhook receivers' URLs subscriptions may name (plain-http localhost, non-public networks). */
  readonly webhookReceivers: ReceiverRules;
}

/** Reads configuration from the environment; a bad value stops start-up with the variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = Environment.extend(FORWARDING_ENVIRONMENT).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.LAPOR_SERVICE_URLS && !e.DATABASE_URL)
    throw new Error('invalid configuration: LAPOR_SERVICE_URLS needs DATABASE_URL (the services share one database)');
  const serviceUrls = e.LAPOR_SERVICE_URLS
    ? Object.fromEntries(e.LAPOR_SERVICE_URLS.split(',').map((pair) => pair.split('=', 2) as [string, string]))
    : undefined;
  const unknown = Object.keys(serviceUrls ?? {}).filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`invalid configuration: LAPOR_SERVICE_URLS: unknown service ${unknown.join(', ')} (known: ${SERVICE_NAMES.join(', ')})`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.LAPOR_DATA_DIR),
    logLevel: e.LOG_LEVEL,
    jwtSecret: e.LAPOR_JWT_SECRET,
    tokenLifetimeSeconds: e.LAPOR_TOKEN_LIFETIME_SECONDS,
    idempotencyKeptForMs: e.LAPOR_IDEMPOTENCY_TTL_HOURS * 3_600_000,
    demo: e.LAPOR_DEMO,
    demoPassword: e.LAPOR_DEMO_PASSWORD,
    firstAdmin: e.LAPOR_FIRST_ADMIN_PASSWORD ? { username: e.LAPOR_FIRST_ADMIN_USERNAME, password: e.LAPOR_FIRST_ADMIN_PASSWORD } : undefined,
    databaseUrl: e.DATABASE_URL,
    serviceUrls,
    trustProxy: e.LAPOR_TRUST_PROXY,
    forwarding: forwardingConfig(e),
    maxInFlight: e.LAPOR_MAX_IN_FLIGHT ?? (e.DATABASE_URL ? 256 : 64),
    // PGlite's work holds the event loop, so embedded requests queue unread (see http-kit load-shedding)
    maxEventLoopDelayMs: e.LAPOR_MAX_EVENT_LOOP_DELAY_MS ?? (e.DATABASE_URL ? 0 : 200),
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME ?? 'gateway' },
    webhookReceivers: receiverRules(e),
  };
}

/** The configured token secret, or one kept (mode 0600) in the data folder so a restart keeps sessions. */
export async function tokenSecret(config: GatewayConfig): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(config.dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}
