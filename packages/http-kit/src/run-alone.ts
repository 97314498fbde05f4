import { masterKeyFromEnv } from '@lapor/personal-data';
import closeWithGrace from 'close-with-grace';
import { z } from 'zod';
import { buildServiceApp, type WorkflowPlugin } from './service-app';
import { openServerStores } from './stores';

/** What never reaches a log line: credentials, and the reporter's identity on its way in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-reporter-secret"]',
  'req.body.password',
  'req.body.reporter',
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

export interface AloneOptions {
  readonly name: string;
  readonly defaultPort: number;
  readonly tags: ReadonlyArray<{ name: string; description: string }>;
  readonly plugin: WorkflowPlugin;
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
  await app.register(options.plugin, { context });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    await app.close();
    await stores.close();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}
