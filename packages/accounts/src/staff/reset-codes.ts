import { createHash, randomBytes } from 'node:crypto';

// An administrator's password reset hands the holder a one-time code (returned once, in the
// administrator's answer). 20 characters of base32 are 100 random bits: no one guesses that
// within a code's life, so a plain SHA-256 is enough to store it by (as for the reporter secret),
// and the decider compares hashes without a slow function.

/** How long a reset code may be used. */
export const RESET_CODE_LIFETIME_HOURS = 72;

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A fresh code, grouped for reading aloud: XXXXX-XXXXX-XXXXX-XXXXX. */
export function newResetCode(): string {
  const bytes = randomBytes(20);
  const characters = [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]!);
  return [0, 5, 10, 15].map((start) => characters.slice(start, start + 5).join('')).join('-');
}

export const resetCodeHash = (code: string): string => createHash('sha256').update(code.trim().toUpperCase().replaceAll('-', ''), 'utf8').digest('hex');

export const resetCodeExpiry = (now: string): string => new Date(Date.parse(now) + RESET_CODE_LIFETIME_HOURS * 3_600_000).toISOString();
