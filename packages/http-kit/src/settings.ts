import { z } from 'zod';

// Configuration at start: every process validates its environment with zod and, when it is wrong,
// stops with one line naming each variable (exit 2); `--print-config` shows what it would run with,
// secrets masked, and exits 0, so an operator can check a deployment without starting it.

export const PRINT_CONFIG_FLAG = '--print-config';
export const MASK = '***';

/** Names whose value is a secret whole: passwords, keys, tokens, secrets (not a key *folder* or a lifetime). */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|API_KEY|MASTER_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;

/** A value with the password of any URL in it masked (postgres://user:pw@host → postgres://user:***@host). */
export function maskUrlPasswords(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@,]+):([^@\s/,]+)@/gi, `$1:${MASK}@`);
}

/** The settings as they may be shown: secret names masked whole (at any depth), URL passwords masked inside any value. */
export function maskedSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, SECRET_NAME.test(name) ? MASK : maskedValue(value)]),
  );
}

function maskedValue(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlPasswords(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(maskedValue);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return maskedSettings(value as Record<string, unknown>);
  return value;
}

/** One line naming every variable that is wrong: `<process>: invalid configuration: PORT: …; DATABASE_URL: …`. */
export function configProblemLine(processName: string, error: z.ZodError | string): string {
  const problems = typeof error === 'string' ? error : error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`).join('; ');
  return `${processName}: invalid configuration: ${problems}`;
}

/** Was the process asked only to show its configuration? */
export const wantsPrintConfig = (argv: readonly string[] = process.argv): boolean => argv.includes(PRINT_CONFIG_FLAG);

/** Parses the environment with `schema`; on failure prints one line naming the variables and exits 2. */
export function settingsOrExit<Schema extends z.ZodType>(processName: string, schema: Schema, env: Readonly<Record<string, unknown>>): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    console.error(configProblemLine(processName, parsed.error));
    process.exit(2);
  }
  return parsed.data;
}

/** With --print-config: prints the effective settings (masked, as JSON) and exits 0; otherwise returns. */
export function printConfigIfAsked(processName: string, settings: Readonly<Record<string, unknown>>, argv: readonly string[] = process.argv): void {
  if (!wantsPrintConfig(argv)) return;
  console.log(JSON.stringify({ process: processName, settings: maskedSettings(settings) }, null, 2));
  process.exit(0);
}

/**
 * Traces (OpenTelemetry, see @lapor/tracing), in every process's settings: OTLP over HTTP to this
 * collector (its base URL; spans go to `/v1/traces`) when set, no tracing at all when not.
 * OTEL_SERVICE_NAME overrides the process's own name on its spans. OTEL_TRACES_SAMPLER and
 * OTEL_TRACES_SAMPLER_ARG are the standard sampler settings the SDK reads itself (default
 * parentbased_always_on: every request traced); checked here so a misspelt one stops the start
 * rather than the SDK quietly falling back to tracing everything.
 */
export const TracingSettings = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'an http(s) URL of an OTLP/HTTP collector, e.g. http://collector:4318')
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
};
