import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

// AES-256-GCM: a 96-bit IV per message and a 128-bit tag; what is bound to the message (the
// complaint id) goes in as additional data, so a sealed value cannot be moved to another complaint.
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

export function encrypt(key: Buffer, plain: Buffer, boundTo: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decrypt(key: Buffer, sealed: Buffer, boundTo: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealError('sealed value too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError('sealed value does not open: tampered, moved, or another key');
  }
}

/** The key that wraps every data key; its id (a hash prefix) is stored beside what it wrapped, for rotation. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new SealError(`a master key is 32 bytes, got ${key.length}`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * A key for another purpose, derived from the master key (HKDF-SHA256, the purpose as its info):
 * a deployment keeps one secret, and no derived key tells anything of the master key or of another.
 */
export function derivedKey(master: MasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, 'lapor-derived-key', purpose, 32));
}
