// `pnpm backup <file>`: the database of this deployment into <file> — with DATABASE_URL set, a pg_dump
// of that database; else the embedded folder (LAPOR_DATA_DIR, default ./data), with the gateway stopped.
// The read models are left out (a restore makes them again from the log); the master key and the
// epoch keys are never in it: keep them apart (README, "Backups").
import { backupEmbedded, backupServer } from '../backup/backup';
import { backupTarget, fromWhereCalled } from './target';

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: pnpm backup <file>   (DATABASE_URL set: PostgreSQL; else the embedded LAPOR_DATA_DIR)');
    process.exit(2);
  }
  const target = backupTarget();
  const path = fromWhereCalled(file);
  if (target.kind === 'server') await backupServer(target.databaseUrl, path);
  else await backupEmbedded(target.databaseDir, path);
  console.log(
    `backup: ${target.kind === 'server' ? 'the PostgreSQL database' : target.databaseDir} written to ${path} (read models left out; the master key and epoch keys are not in it)`,
  );
}

main().catch((error: unknown) => {
  console.error('backup failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
