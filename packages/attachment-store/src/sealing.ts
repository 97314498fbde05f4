import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ChunkTampered } from './chunk-store';

// AES-256-GCM per chunk, a random 96-bit IV each: a range read opens only the chunks it needs. The
// file id and the chunk's index are its additional data, so a chunk cannot be moved to another
// file or place; the catalog's chunk count catches a file cut short.
const IV_BYTES = 12;
const TAG_BYTES = 16;

const boundTo = (fileId: string, index: number): Buffer => Buffer.from(`${fileId}:${index}`, 'utf8');

export function sealChunk(key: Buffer, fileId: string, index: number, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(boundTo(fileId, index));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openChunk(key: Buffer, fileId: string, index: number, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new ChunkTampered(fileId, index, 'too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(boundTo(fileId, index));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ChunkTampered(fileId, index, 'does not open (altered, moved, or another key)');
  }
}
