import { argon2, randomBytes, scrypt, timingSafeEqual, type Argon2Parameters } from 'node:crypto';
import { promisify } from 'node:util';

// Password hashes. New hashes are argon2id, with Node 24's built-in crypto.argon2 (no native
// add-on to build); hashes written before it are scrypt and still verify, and a sign-in that
// proves one rehashes it (needsRehash).
//
// The parameters are OWASP's first argon2id choice (Password Storage Cheat Sheet): 19 MiB of
// memory, 2 passes, 1 lane. Memory is what makes a GPU or ASIC guess expensive; 19 MiB keeps a
// sign-in near 50–80 ms on our 2-core machines, and a burst of sign-ins within the libuv pool's four
// threads at 4 × 19 MiB. The measured cost against the throughput of POST /auth/token is in
// packages/bench/results/sign-in.md. Stored as `argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` (the PHC
// string's fields), so a later change of parameters still verifies the hashes made before it.

const argon2Async = promisify(argon2) as (algorithm: 'argon2id', parameters: Argon2Parameters) => Promise<Buffer>;
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

export interface Argon2Cost {
  /** KiB. */
  readonly memory: number;
  readonly passes: number;
  readonly parallelism: number;
}

export const ARGON2ID_COST: Argon2Cost = { memory: 19_456, passes: 2, parallelism: 1 };
const TAG_LENGTH = 32;

const b64 = (bytes: Buffer): string => bytes.toString('base64');

export async function hashPassword(password: string, cost: Argon2Cost = ARGON2ID_COST): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await argon2Async('argon2id', { message: password, nonce, tagLength: TAG_LENGTH, ...cost });
  return `argon2id$v=19$m=${cost.memory},t=${cost.passes},p=${cost.parallelism}$${b64(nonce)}$${b64(tag)}`;
}

/** An scrypt hash as the first version wrote them (N=16384, r=8, p=1: Node's defaults); for tests and the benchmark. */
export async function legacyScryptHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${b64(salt)}$${b64(await scryptAsync(password, salt, 32))}`;
}

const ARGON2 = /^argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const argon = ARGON2.exec(stored);
  if (argon) {
    const [, memory, passes, parallelism, nonce, tag] = argon;
    const expected = Buffer.from(tag!, 'base64');
    const actual = await argon2Async('argon2id', {
      message: password,
      nonce: Buffer.from(nonce!, 'base64'),
      tagLength: expected.length,
      memory: Number(memory),
      passes: Number(passes),
      parallelism: Number(parallelism),
    });
    return timingSafeEqual(actual, expected);
  }
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  return timingSafeEqual(await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length), expected);
}

/** True for a hash made otherwise than hashPassword makes them now: rehash after a sign-in that proved it. */
export function needsRehash(stored: string, cost: Argon2Cost = ARGON2ID_COST): boolean {
  return !stored.startsWith(`argon2id$v=19$m=${cost.memory},t=${cost.passes},p=${cost.parallelism}$`);
}

/** Spent on unknown usernames and accounts without a password, so the answer time does not tell them apart. */
export const DECOY_HASH = `argon2id$v=19$m=${ARGON2ID_COST.memory},t=${ARGON2ID_COST.passes},p=${ARGON2ID_COST.parallelism}$${b64(Buffer.alloc(16))}$${b64(Buffer.alloc(32))}`;
