import { openPGlite } from '@lapor/sql';
import { execFile } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { discardedSchemas } from './read-models';

const run = promisify(execFile);

/**
 * A PostgreSQL deployment's database, dumped with pg_dump (custom format, one consistent snapshot)
 * into `file`, without the read models a restore rebuilds from the log. The vault's epoch keys and
 * the master key are not in the database, so not in the dump: they are kept elsewhere (README).
 */
export async function backupServer(databaseUrl: string, file: string): Promise<void> {
  const excluded = discardedSchemas().flatMap((schema) => ['--exclude-schema', schema]);
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, ...excluded, '--dbname', databaseUrl], { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * The embedded deployment's database folder, dumped by PGlite into `file` (a gzipped tar). The
 * gateway must be stopped: PGlite is one process's database, and a copy taken under a running one
 * could be torn. The master key file and the epoch keys beside the folder are not included.
 */
export async function backupEmbedded(databaseDir: string, file: string): Promise<void> {
  await access(databaseDir).catch(() => {
    throw new Error(`no embedded database at ${databaseDir} (set LAPOR_DATA_DIR to the folder the gateway uses)`);
  });
  const pglite = await openPGlite(databaseDir);
  try {
    const dump = await pglite.dumpDataDir('gzip');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  } finally {
    await pglite.close();
  }
}
