import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR, EMBEDDED_DATABASE_FOLDER } from '../config';

/** Where a backup is taken from or restored to: the PostgreSQL database in DATABASE_URL, else the embedded folder. */
export type BackupTarget = { readonly kind: 'server'; readonly databaseUrl: string } | { readonly kind: 'embedded'; readonly databaseDir: string };

/** Paths as the operator typed them: pnpm runs the script in gateway/, INIT_CWD is where they stood. */
export const fromWhereCalled = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);

export function backupTarget(env: NodeJS.ProcessEnv = process.env): BackupTarget {
  if (env.DATABASE_URL) return { kind: 'server', databaseUrl: env.DATABASE_URL };
  return { kind: 'embedded', databaseDir: join(fromWhereCalled(env.LAPOR_DATA_DIR || DEFAULT_DATA_DIR), EMBEDDED_DATABASE_FOLDER) };
}
