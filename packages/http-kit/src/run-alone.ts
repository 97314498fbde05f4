import type { SqlRunner } from '@lapor/sql';
import { masterKeyFromEnv } from '@lapor/personal-data';
import closeWithGrace from 'close-with-grace';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WorkflowContext } from './context';
import { IdempotencyTtlHours } from './idempotency';
import { buildServiceApp } from './service-app';
import { runWithApp, type OpenedService } from './opened-service';
import { openServerStores } from './stores';
import { configProblemLine, printConfigIfAsked, settingsOrExit, TracingSettings } from './settings';
import { startTracing, traceFields } from '@lapor/tracing';
import { TrustedProxies } from './trust-proxy';
import { warnAboutServerSettings } from './server-settings';

/** What never reaches a log line: credentials, and the reporter's identity on its way in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-reporter-secret"]',
  'req.headers["x-lapor-vouched-caller"]',
  'req.body.password',
  'req.body.currentPassword',
  'req.body.newPassword',
  'req.body.temporaryPassword',
  'req.body.code',
  'req.body.reporter',
  // an SMS sender's number and words (services/sms), an Open311 reporter's contact
  'req.body.from',
  'req.body.text',
  'req.body.email',
  'req.body.phone',
  'req.body.api_key',
  'phone',
  '*.phone',
];

const Environment = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string'),
  LAPOR_JWT_SECRET: z.string().min(32, 'at least 32 characters, the same in every service'),
  /** How long a staff token lives, in seconds: the gateway's value (default 8 h); tokens claiming longer are refused. */
  LAPOR_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 60 * 60)
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535),
  /** Loopback unless set (in a container: HOST=0.0.0.0, as docker-compose.yml does). */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LAPOR_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** The gateway's address(es): its X-Forwarded-For is believed, so rate limits see the real client. */
  LAPOR_TRUST_PROXY: TrustedProxies,
  /** Requests in progress at once before 503 (see load-shedding.ts). */
  LAPOR_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  /** The event loop's mean delay (ms) before 503; 0, the default, leaves it unbounded (PostgreSQL works off the loop). */
  LAPOR_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** The vault's epoch keys: a folder every process on the database shares, kept out of database backups. */
  LAPOR_KEY_DIR: z.string({ error: 'a folder for the epoch keys, the same for every process on the database' }).min(1),
  LAPOR_IDEMPOTENCY_TTL_HOURS: IdempotencyTtlHours,
  ...TracingSettings,
});

/** What a service run alone is given: the workflow context, and the database its read models live in. */
export interface AloneServices {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
}

/**
 * The service's routes, registered once the service is opened. A workflow plugin (`{ context }`) fits
 * as it is; a service with tables of its own reads them through what its `open` returned.
 */
export type AlonePlugin<Opened extends OpenedService = OpenedService> = (
  app: FastifyInstance,
  options: AloneServices & { readonly opened: Opened },
) => Promise<void>;

/** Work a service does besides answering requests (a Kafka consumer), stopped on shutdown. */
export interface BackgroundWork {
  /**
   * Named checks that /health/ready adds to its own: any 'unavailable' answers 503 with them, so a
   * load balancer or compose stops counting on the service while, say, its consumer is cut off.
   */
  checks?(): Record<string, 'ok' | 'unavailable'>;
  close(): Promise<void>;
}

export interface AloneOptions<Opened extends OpenedService = OpenedService> {
  readonly name: string;
  readonly defaultPort: number;
  readonly tags: ReadonlyArray<{ name: string; description: string }>;
  /**
   * Opens what the service keeps besides the event store (its tables, its read side, its loops),
   * before its routes are registered; its loops start when the port opens and stop on shutdown.
   * Services without tables of their own (intake, verification, …) have nothing to open.
   */
  readonly open?: (services: AloneServices & { readonly log: FastifyBaseLogger }) => Promise<Opened>;
  readonly plugin: AlonePlugin<NoInfer<Opened>>;
  /**
   * Starts the work that depends on other systems (a Kafka consumer feeding what `open` returned),
   * before the port opens. It should not wait for them to come up (retry in the background and
   * report through `checks`): a rejection stops the process.
   */
  readonly start?: (services: AloneServices & { readonly log: FastifyBaseLogger; readonly opened: NoInfer<Opened> }) => Promise<BackgroundWork>;
}

const NOTHING_OPENED: OpenedService = { start: () => undefined, close: async () => undefined };

/**
 * One service in a process of its own, on a PostgreSQL server (the distributed deployment). Bad or
 * missing configuration stops it at once, naming the variable.
 */
export async function runServiceAlone<Opened extends OpenedService>(options: AloneOptions<Opened>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = settingsOrExit(options.name, Environment, { PORT: options.defaultPort, ...env });
  let master;
  try {
    master = masterKeyFromEnv(env);
  } catch (error) {
    console.error(configProblemLine(options.name, (error as Error).message));
    process.exit(2);
  }
  printConfigIfAsked(options.name, { ...config, LAPOR_MASTER_KEY: 'set' });
  // before the app is built: its request hooks are added only when tracing is on
  const tracing = startTracing(config.OTEL_SERVICE_NAME ?? options.name, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const stores = await openServerStores({
    connectionString: config.DATABASE_URL,
    poolSize: config.LAPOR_DB_POOL_SIZE,
    keyDir: config.LAPOR_KEY_DIR,
    masterKey: master,
  });
  const { app, context } = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    idempotencyKeptForMs: config.LAPOR_IDEMPOTENCY_TTL_HOURS * 3_600_000,
    jwtSecret: config.LAPOR_JWT_SECRET,
    ...(config.LAPOR_TOKEN_LIFETIME_SECONDS ? { tokenLifetimeSeconds: config.LAPOR_TOKEN_LIFETIME_SECONDS } : {}),
    title: `SP4N-LAPOR! ${options.name} service`,
    trustProxy: config.LAPOR_TRUST_PROXY,
    // run alone, a service is reached through the gateway, which has checked the caller already
    vouchedCallers: true,
    maxInFlight: config.LAPOR_MAX_IN_FLIGHT,
    maxEventLoopDelayMs: config.LAPOR_MAX_EVENT_LOOP_DELAY_MS,
    tags: options.tags,
    logger: {
      level: config.LOG_LEVEL,
      base: { service: options.name },
      redact: REDACTED_PATHS,
      mixin: traceFields,
    },
  });
  await warnAboutServerSettings(stores.db, app.log);
  // the order a service starts in: its store (above), its own tables, its routes, then its feeds
  const services: AloneServices = { context, db: stores.db };
  // without `open`, Opened is the default OpenedService, which NOTHING_OPENED is
  const opened = options.open ? await options.open({ ...services, log: app.log }) : (NOTHING_OPENED as Opened);
  runWithApp(app, opened);
  await app.register(options.plugin, { ...services, opened });
  const work = await options.start?.({ ...services, log: app.log, opened });
  if (work?.checks) addReadiness(app, work.checks.bind(work));
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    // the background work first: it writes through the pool closed last
    await work?.close();
    await app.close();
    await stores.close();
    // last: the spans of everything above reach the collector before the process exits
    await tracing.shutdown();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}

/**
 * /health/ready answers 503 while the background work reports a check unavailable; otherwise the
 * route's own checks (the event store) decide. A hook, because the health routes are registered by
 * buildServiceApp before the service's work exists.
 */
function addReadiness(app: FastifyInstance, backgroundChecks: () => Record<string, 'ok' | 'unavailable'>): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/health/ready') return;
    const checks = backgroundChecks();
    if (Object.values(checks).every((state) => state === 'ok')) return;
    app.log.warn({ checks }, 'readiness: background work unavailable');
    return reply.code(503).send({ status: 'unavailable', checks });
  });
}
