import { Channel } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const API_KEYS_STREAM = 'api-keys';
/**
 * Another process may issue or revoke a key: every key check first catches up with the key stream when the
 * last catch-up is older than this, so a revocation anywhere is refused everywhere within this bound.
 * A catch-up reads only the events after the last one seen (usually none): one indexed query.
 */
export const KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS = 2_000;
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
  private readonly keys = new Map<string, z.infer<typeof ApiKeyIssued> & { revoked: boolean }>();
  /** Version of the last key event folded in; -1n before the first. */
  private seenVersion = -1n;
  private caughtUpAt = 0;
  /** One catch-up at a time: concurrent checks wait for the same read. */
  private catchingUp: Promise<void> | undefined;

  private constructor(
    private readonly store: EventStore,
    private readonly now: () => number,
  ) {}

  static async open(store: EventStore, options: { now?: () => number } = {}): Promise<ApiKeys> {
    const keys = new ApiKeys(store, options.now ?? Date.now);
    await keys.catchUp();
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
    // Known here at once; the next catch-up folds the same event in again, to the same state.
    this.keys.set(keyId, { ...issued, revoked: false });
    return { key: `lapor_${keyId}_${secret}`, apiKey: this.view(this.keys.get(keyId)!) };
  }

  async revoke(keyId: string, by: string, at: string): Promise<boolean> {
    if (!this.keys.has(keyId)) await this.catchUp();
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
    if (this.now() - this.caughtUpAt >= KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS) await this.catchUp();
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

  private catchUp(): Promise<void> {
    this.catchingUp ??= this.readNewEvents().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  private async readNewEvents(): Promise<void> {
    const startedAt = this.now();
    for (const event of await this.store.readStream(API_KEYS_STREAM, { fromVersion: this.seenVersion + 1n })) {
      if (event.type === 'ApiKeyIssued') {
        const issued = ApiKeyIssued.parse(event.data);
        this.keys.set(issued.keyId, { ...issued, revoked: false });
      } else if (event.type === 'ApiKeyRevoked') {
        const revoked = this.keys.get((event.data as { keyId: string }).keyId);
        if (revoked) revoked.revoked = true;
      }
      this.seenVersion = event.streamVersion;
    }
    this.caughtUpAt = startedAt;
  }
}
