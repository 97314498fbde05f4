import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Read by @lapor/sql's openPGlite: a new PGlite database is unpacked from this dump instead of made by initdb. */
export const PGLITE_TEMPLATE_VARIABLE = 'LAPOR_PGLITE_TEMPLATE';
const TEMPLATE_FOLDER_PREFIX = 'lapor-pglite-template-';

/**
 * A dump of a new, empty PGlite cluster for this run's databases to start from: every test that
 * opens PGlite (hundreds do) otherwise pays initdb in WebAssembly, 3–10 s each on this machine.
 * Made once per run, in a folder of its own, so a PGlite upgrade never meets an old dump.
 */
export async function writePGliteTemplate(): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  try {
    const path = join(mkdtempSync(join(tmpdir(), TEMPLATE_FOLDER_PREFIX)), 'cluster.tar');
    await writeFile(path, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return path;
  } finally {
    await pglite.close();
  }
}

/** Removes the run's template; one named from outside the run (the variable set beforehand) is left alone. */
export async function removePGliteTemplate(path: string | undefined): Promise<void> {
  const folder = path && dirname(path);
  if (folder && basename(folder).startsWith(TEMPLATE_FOLDER_PREFIX) && dirname(folder) === tmpdir()) await rm(folder, { recursive: true, force: true });
}
