import { canonicalJson, sha256 } from './canonical';

// A calendar version names exactly which revisions of which years a calendar was built from,
// plus a digest of their content: "cal1:2024r3.2025r2.2026r1:9f2c4a1b7e3d5a60".
// Because revisions are only ever appended, the revision counts are enough to rebuild that same
// calendar later from newer data (Calendar.forVersion), and the digest proves it is the same.

const PREFIX = 'cal1';
const VERSION = /^cal1:(-|\d{4}r\d+(?:\.\d{4}r\d+)*):([0-9a-f]{16})$/;

/** year → number of leading revisions used. */
export type Selection = ReadonlyMap<number, number>;

export function formatVersion(selection: Selection, hashesOf: (year: number, count: number) => readonly string[]): string {
  const years = [...selection.keys()].sort((a, b) => a - b);
  const spec = years.length === 0 ? '-' : years.map((year) => `${year}r${selection.get(year)}`).join('.');
  const digest = sha256(canonicalJson(years.map((year) => [year, hashesOf(year, selection.get(year) ?? 0)]))).slice(0, 16);
  return `${PREFIX}:${spec}:${digest}`;
}

/** The selection a version names, or undefined when the string is not a version. */
export function parseVersion(version: string): Selection | undefined {
  const match = VERSION.exec(version);
  if (!match?.[1]) return undefined;
  if (match[1] === '-') return new Map();
  const selection = new Map<number, number>();
  for (const part of match[1].split('.')) {
    const [year, count] = part.split('r').map(Number);
    if (year === undefined || count === undefined || count < 1 || selection.has(year)) return undefined;
    selection.set(year, count);
  }
  return selection;
}
