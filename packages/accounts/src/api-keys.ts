import { Channel } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const API_KEYS_STREAM = 'api-keys';
// An unknown key id makes us look in the store again (another process may have issued it), at most this often.
const RELOAD_AT_MOST_EVERY_MS = 2_000;
const KEY_FORMAT = /^lapor_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

const ApiKeyIssued = z.object({
  keyId: z.string(),
  name: z.string(),
  /** The instansi whose system this is; null for a national gateway such as SMS 1708. */
  instansiId: z.string().nullable(),
  channels: z.array(Channel),
  /** SHA-256 of the secret part: the key itself is shown once and never stored. */
  secretHash: z.string(),
  issuedBy: z.string(),
  at: z.string(),
});
export type ApiKey = Omit<z.infer<typeof ApiKeyIssued>, 'secretHash'> & { readonly revoked: boolean };

const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** API keys of integrating systems (agency complaint systems, the SMS 1708 gateway), kept as events. */
export class ApiKeys {
  private keys = new Map<string, z.infer<typeof ApiKeyIssued> & { revoked: boolean }>();
  private loadedAt = 0;

  private constructor(private readonly store: EventStore) {}

  static async open(store: EventStore): Promise<ApiKeys> {
    const keys = new ApiKeys(store);
    await keys.reload();
    return keys;
  }

  /** Issues a key; the returned `key` is the only time the secret is seen. */
  async issue(request: {
    name: string;
    instansiId: string | null;
    channels: Channel[];
    issuedBy: string;
    at: string;
  }): Promise<{ key: string; apiKey: ApiKey }> {
    const keyId = randomUUID().replaceAll('-', '');
    const secret = randomBytes(32).toString('base64url');
    const issued = { keyId, ...request, secretHash: hashSecret(secret).toString('hex') };
    await this.store.appendToStream(API_KEYS_STREAM, [{ id: randomUUID(), type: 'ApiKeyIssued', data: issued }]);
    this.keys.set(keyId, { ...issued, revoked: false });
    return { key: `lapor_${keyId}_${secret}`, apiKey: this.view(this.keys.get(keyId)!) };
  }

  async revoke(keyId: string, by: string, at: string): Promise<boolean> {
    if (!this.keys.has(keyId)) await this.reload();
    const key = this.keys.get(keyId);
    if (!key) return false;
    await this.store.appendToStream(API_KEYS_STREAM, [{ id: randomUUID(), type: 'ApiKeyRevoked', data: { keyId, by, at } }]);
    key.revoked = true;
    return true;
  }

  /** The key's record when the presented key is genuine and not revoked; undefined otherwise. */
  async verify(presented: string): Promise<ApiKey | undefined> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return undefined;
    const [, keyId, secret] = match as unknown as [string, string, string];
    if (!this.keys.has(keyId) && Date.now() - this.loadedAt > RELOAD_AT_MOST_EVERY_MS) await this.reload();
    const key = this.keys.get(keyId);
    // Compared in constant time; an unknown id still spends the hash, so timing tells nothing.
    const expected = key ? Buffer.from(key.secretHash, 'hex') : Buffer.alloc(32);
    const genuine = timingSafeEqual(hashSecret(secret), expected);
    return key && genuine && !key.revoked ? this.view(key) : undefined;
  }

  list(): ApiKey[] {
    return [...this.keys.values()].map((key) => this.view(key));
  }

  private view(key: z.infer<typeof ApiKeyIssued> & { revoked: boolean }): ApiKey {
    const { secretHash: _hidden, ...visible } = key;
    return visible;
  }

  private async reload(): Promise<void> {
    this.loadedAt = Date.now();
    const keys = new Map<string, z.infer<typeof ApiKeyIssued> & { revoked: boolean }>();
    for (const event of await this.store.readStream(API_KEYS_STREAM)) {
      if (event.type === 'ApiKeyIssued') {
        const issued = ApiKeyIssued.parse(event.data);
        keys.set(issued.keyId, { ...issued, revoked: false });
      } else if (event.type === 'ApiKeyRevoked') {
        const revoked = keys.get((event.data as { keyId: string }).keyId);
        if (revoked) revoked.revoked = true;
      }
    }
    this.keys = keys;
  }
}
