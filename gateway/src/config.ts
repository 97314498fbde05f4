import { resolve } from 'node:path';
import { z } from 'zod';

const Environment = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LAPOR_DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** Folder of the embedded PostgreSQL (PGlite) data. */
  readonly dataDir: string;
  readonly logLevel: string;
}

/** Reads configuration from the environment; a bad value stops start-up with the variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return { port: e.PORT, host: e.HOST, dataDir: resolve(e.LAPOR_DATA_DIR, 'eventstore'), logLevel: e.LOG_LEVEL };
}
