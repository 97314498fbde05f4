import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { masterKey, type MasterKey } from './envelope';

export const MASTER_KEY_VARIABLE = 'LAPOR_MASTER_KEY';

/** The master key from LAPOR_MASTER_KEY (32 bytes, base64); a clear error naming the variable otherwise. */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKey {
  const value = env[MASTER_KEY_VARIABLE];
  if (!value) throw new Error(`${MASTER_KEY_VARIABLE} is not set: 32 random bytes, base64 (e.g. openssl rand -base64 32)`);
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${MASTER_KEY_VARIABLE} must be 32 bytes in base64; it decodes to ${key.length} bytes`);
  return masterKey(key);
}

/**
 * For the embedded default: the key in `<dataDir>/master-key` (mode 0600), made on first start.
 * Whoever holds this file and the data can read reporter identities: production sets LAPOR_MASTER_KEY.
 */
export async function masterKeyFromFolder(dataDir: string): Promise<{ key: MasterKey; created: boolean }> {
  const file = join(dataDir, 'master-key');
  try {
    return { key: masterKey(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return { key: masterKey(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')), created: true };
  }
}
