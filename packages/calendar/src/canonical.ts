import { createHash } from 'node:crypto';
import type { Revision } from './data-schema';

// Hashes are taken over a canonical JSON form (sorted keys, no whitespace), not over file bytes,
// so re-indenting a year file is not a change while any change of content is.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const revisionHash = (revision: Revision): string => sha256(canonicalJson(revision));
