import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { decrypt, encrypt, masterKey, SealError } from '../src/envelope';

describe('AES-256-GCM envelope', () => {
  const key = randomBytes(32);
  const plain = Buffer.from('{"name":"Maria Goreti Bunga","phone":"+6281234567890"}', 'utf8');

  it('given a message sealed for a complaint, when opened with the same key and complaint, then it is the message', () => {
    const complaintId = randomUUID();
    expect(decrypt(key, encrypt(key, plain, complaintId), complaintId).equals(plain)).toBe(true);
  });

  it('given the same message sealed twice, then the sealed values differ (a fresh 96-bit IV each time) and neither holds the text', () => {
    const complaintId = randomUUID();
    const [a, b] = [encrypt(key, plain, complaintId), encrypt(key, plain, complaintId)];
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.length).toBe(12 + 16 + plain.length);
    for (const sealed of [a, b]) {
      expect(sealed.toString('latin1')).not.toContain('Maria');
      expect(sealed.toString('latin1')).not.toContain('81234567890');
    }
  });

  it('given a sealed message, when opened for another complaint, then it throws', () => {
    const sealed = encrypt(key, plain, randomUUID());
    expect(() => decrypt(key, sealed, randomUUID())).toThrow(SealError);
  });

  it.each([
    ['the IV', 0],
    ['the auth tag', 12],
    ['the ciphertext', 30],
  ])('given a sealed message with a bit of %s flipped, when opened, then it throws', (_part, index) => {
    const complaintId = randomUUID();
    const sealed = encrypt(key, plain, complaintId);
    sealed.writeUInt8(sealed.readUInt8(index) ^ 0x01, index);
    expect(() => decrypt(key, sealed, complaintId)).toThrow(SealError);
  });

  it('given a sealed message, when opened with another key or cut short, then it throws', () => {
    const complaintId = randomUUID();
    const sealed = encrypt(key, plain, complaintId);
    expect(() => decrypt(randomBytes(32), sealed, complaintId)).toThrow(SealError);
    expect(() => decrypt(key, sealed.subarray(0, 20), complaintId)).toThrow(/too short/);
  });

  it('given 32 bytes, then the master key id is the first 8 hex of their SHA-256; other lengths are refused', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(masterKey(bytes).id).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 8));
    expect(masterKey(randomBytes(32)).id).not.toBe(masterKey(bytes).id);
    expect(() => masterKey(randomBytes(16))).toThrow(/32 bytes/);
  });
});
