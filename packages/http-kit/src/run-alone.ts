import type { SqlRunner } from '@lapor/sql';
import { masterKeyFromEnv } from '@lapor/personal-data';
import closeWithGrace from 'close-with-grace';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WorkflowContext } from './context';
import { buildServiceApp } from './service-app';
import { openServerStores } from './stores';

/** What never reaches a log line: credentials, and the reporter's identity on its way in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-reporter-secret"]',
  'req.body.password',
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
  PORT: z.coerce.number().int().min(1).max(65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LAPOR_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** The gateway's address(es): its X-Forwarded-For is believed, so rate limits see the real client. */
  LAPOR_TRUST_PROXY: z.string().optional(),
});

/** What a service run alone is given: the workflow context, and the database its read models live in. */
export interface AloneServices {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
}

/**
 * The service's routes. A workflow plugin (`{ context }`) fits as it is; a plugin with read models of
 * its own (statistics) also takes the database.
 */
export type AlonePlugin = (app: FastifyInstance, options: AloneServices) => Promise<void>;

/** Work a service does besides answering requests (a Kafka consumer), stopped on shutdown. */
export interface BackgroundWork {
  /**
   * Named checks that /health/ready adds to its own: any 'unavailable' answers 503 with them, so a
   * load balancer or compose stops counting on the service while, say, its consumer is cut off.
   */
  checks?(): Record<string, 'ok' | 'unavailable'>;
  close(): Promise<void>;
}

export interface AloneOptions {
  readonly name: string;
  readonly defaultPort: number;
  readonly tags: ReadonlyArray<{ name: string; description: string }>;
  readonly plugin: AlonePlugin;
  /**
   * Starts the background work once the routes are registered, before the port opens. It should not
   * wait for other systems to come up (retry in the background and report through `checks`): a
   * rejection stops the process.
   */
  readonly start?: (services: AloneServices & { readonly log: FastifyBaseLogger }) => Promise<BackgroundWork>;
}

/**
 * One service in a process of its own, on a PostgreSQL server (the distributed deployment). Bad or
 * missing configuration stops it at once, naming the variable.
 */
export async function runServiceAlone(options: AloneOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = Environment.safeParse({ PORT: options.defaultPort, ...env });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    console.error(`${options.name}: invalid configuration: ${problems}`);
    process.exit(2);
  }
  const config = parsed.data;
  let master;
  try {
    master = masterKeyFromEnv(env);
  } catch (error) {
    console.error(`${options.name}: invalid configuration: ${(error as Error).message}`);
    process.exit(2);
  }
  const stores = await openServerStores({ connectionString: config.DATABASE_URL, poolSize: config.LAPOR_DB_POOL_SIZE, masterKey: master });
  const { app, context } = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    jwtSecret: config.LAPOR_JWT_SECRET,
    title: `SP4N-LAPOR! ${options.name} service`,
    ...(config.LAPOR_TRUST_PROXY ? { trustProxy: config.LAPOR_TRUST_PROXY } : {}),
    tags: options.tags,
    logger: {
      level: config.LOG_LEVEL,
      base: { service: options.name },
      redact: REDACTED_PATHS,
    },
  });
  const services: AloneServices = { context, db: stores.db };
  await app.register(options.plugin, services);
  const work = await options.start?.({ ...services, log: app.log });
  if (work?.checks) addReadiness(app, work.checks.bind(work));
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    // the background work first: it writes through the pool closed last
    await work?.close();
    await app.close();
    await stores.close();
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
