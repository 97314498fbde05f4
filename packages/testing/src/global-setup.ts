import { discoverPostgres } from './discovery';
import { TEST_SERVER_URL_VARIABLE } from './database';
import { PGLITE_TEMPLATE_VARIABLE, writePGliteTemplate } from './pglite-template';

/** Finds the PostgreSQL server and makes the PGlite template once for the run; workers inherit the variables. */
export default async function globalSetup(): Promise<void> {
  if (!process.env[PGLITE_TEMPLATE_VARIABLE]) process.env[PGLITE_TEMPLATE_VARIABLE] = await writePGliteTemplate();
  if (process.env[TEST_SERVER_URL_VARIABLE]) return;
  const postgres = await discoverPostgres();
  process.env[TEST_SERVER_URL_VARIABLE] = postgres.value;
  console.log(`\n[test services] PostgreSQL from ${postgres.source}: ${redactPassword(postgres.value)}`);
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
