import type { PGlite } from '@electric-sql/pglite';
import { existsSync, openAsBlob } from 'node:fs';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * PGlite in a folder only its owner can reach. PGlite writes its files 0666 whatever the umask, so
 * any local user could change the event store: the folder is made 0700 (nothing inside is reachable
 * by anyone else, including files PGlite creates later), and what it holds at open is made 0600/0700.
 * With no folder the database lives in memory. Every PGlite of the project is opened here, so each
 * has the extensions the read models need.
 */
export async function openPGlite(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  // loaded here, not with the package: a service on a PostgreSQL server never opens PGlite, and
  // loading it cost half a second of every such process's start
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  // trigram search (the inbox's partial tracking ids and typos) is an extension PGlite loads at open
  const extensions = { pg_trgm };
  // the same class; `import()` types it from the package's ESM declarations, the type import above
  // from its CommonJS ones, which TypeScript tells apart by their private fields
  if (dataDir === undefined) {
    const template = await clusterTemplate();
    return (await PGlite.create({ extensions, ...(template ? { loadDataDir: template } : {}) })) as unknown as PGlite;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  // loadDataDir: a folder made from a dump (pnpm restore), or from the template, only into a new folder
  const loadDataDir = options.loadDataDir ?? ((await readdir(dataDir)).length === 0 ? await clusterTemplate() : undefined);
  const pglite = await PGlite.create(dataDir, { extensions, ...(loadDataDir ? { loadDataDir } : {}) });
  await makePrivate(dataDir);
  return pglite as unknown as PGlite;
}

/**
 * Where a dump of a new, empty cluster is kept (LAPOR_PGLITE_TEMPLATE): a new database is then
 * unpacked from it instead of made by initdb, which PGlite runs in WebAssembly at 3–10 s a database
 * on this machine (a dump loads in under 2). The test run writes one (@lapor/testing's global
 * set-up) and sets it; a deployment makes its one database once and has no need of it. A missing
 * file means initdb as usual.
 */
export const PGLITE_TEMPLATE_VARIABLE = 'LAPOR_PGLITE_TEMPLATE';

async function clusterTemplate(): Promise<Blob | undefined> {
  const path = process.env[PGLITE_TEMPLATE_VARIABLE];
  return path && existsSync(path) ? openAsBlob(path) : undefined;
}

async function makePrivate(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await chmod(path, 0o700);
      await makePrivate(path);
    } else if (entry.isFile()) {
      await chmod(path, 0o600);
    }
  }
}
