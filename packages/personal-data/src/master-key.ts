import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { masterKey, type MasterKey } from './envelope';

export const MASTER_KEY_VARIABLE = 'LAPOR_MASTER_KEY';
/** The key file of the embedded default, inside its data folder. */
export const MASTER_KEY_FILE = 'master-key';

/** The master key from LAPOR_MASTER_KEY (32 bytes, base64); a clear error naming the variable otherwise. */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKey {
  const value = env[MASTER_KEY_VARIABLE]?.trim();
  if (!value) throw new Error(`${MASTER_KEY_VARIABLE} is not set: 32 random bytes, base64 (e.g. openssl rand -base64 32)`);
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${MASTER_KEY_VARIABLE} must be 32 bytes in base64; it decodes to ${key.length} bytes`);
  return masterKey(key);
}

export interface MasterKeyFromFolder {
  readonly key: MasterKey;
  /** True when this call made the file (first start). */
  readonly created: boolean;
  /** One line for the log: which file, which key id, whether it was just made. Never the key. */
  readonly message: string;
}

async function readKeyFile(file: string): Promise<MasterKey> {
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`master key file ${file} must hold 32 bytes in base64; it decodes to ${key.length} bytes`);
  return masterKey(key);
}

/**
 * For the embedded default: the key in `<dataDir>/master-key` (mode 0600), made on first start.
 * Whoever holds this file and the data can read reporter identities: production sets LAPOR_MASTER_KEY.
 */
export async function masterKeyFromFolder(dataDir: string): Promise<MasterKeyFromFolder> {
  const file = join(dataDir, MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  let created = false;
  try {
    // 'wx' fails when the file exists, so two processes starting at once end up with the same key.
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = await readKeyFile(file);
  const message = created
    ? `created a new master key ${key.id} in ${file} (mode 0600); set ${MASTER_KEY_VARIABLE} in production`
    : `using master key ${key.id} from ${file}`;
  return { key, created, message };
}
