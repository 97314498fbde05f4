// `pnpm restore <file>`: a backup made by `pnpm backup` into a new, empty database — with DATABASE_URL
// set, that PostgreSQL database; else the embedded folder (LAPOR_DATA_DIR, default ./data), which must
// hold no database yet. The read models are made again from the restored log, never taken from the
// dump. Start the processes with the same master key and epoch keys as before.
import { restoreEmbedded, restoreServer } from '../backup/restore';
import { backupTarget, fromWhereCalled } from './target';

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: pnpm restore <file>   (DATABASE_URL set: an empty PostgreSQL database; else a new embedded LAPOR_DATA_DIR)');
    process.exit(2);
  }
  const target = backupTarget();
  const path = fromWhereCalled(file);
  const report = target.kind === 'server' ? await restoreServer(target.databaseUrl, path) : await restoreEmbedded(target.databaseDir, path);
  console.log(
    `restore: ${report.events} events restored from ${path}; ${report.rebuilt.length > 0 ? `rebuilt ${report.rebuilt.join(', ')}; ` : ''}the other read models fill from the log when the processes start (ready once caught up)`,
  );
}

main().catch((error: unknown) => {
  console.error('restore failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
