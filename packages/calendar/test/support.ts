import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_DATA_DIR } from '../src';

// Fixtures for the calendar tests: synthetic year files, and scratch copies of the bundled data.

export const decree = (number: string, signedOn = '2029-09-01') => ({
  type: 'skb' as const,
  title: 'Keputusan Bersama tentang Hari Libur Nasional dan Cuti Bersama (fixture)',
  number,
  signedOn,
});

export type Day = { date: string; kind: 'libur_nasional' | 'cuti_bersama'; name: string };

export const libur = (date: string, name = 'Libur nasional (fixture)'): Day => ({ date, kind: 'libur_nasional', name });
export const cuti = (date: string, name = 'Cuti bersama (fixture)'): Day => ({ date, kind: 'cuti_bersama', name });

export const officialBase = (days: Day[], number = 'Nomor 1 Tahun 2029') => ({
  type: 'base' as const,
  status: 'official' as const,
  decree: decree(number),
  days,
});

export const amendment = (add: Day[], remove: string[] = [], number = 'Nomor 2 Tahun 2030') => ({
  type: 'amendment' as const,
  decree: decree(number, '2030-02-01'),
  add,
  remove,
});

export const yearFile = (year: number, ...revisions: unknown[]) => ({ year, revisions });

/** A scratch copy of the bundled data directory, removed by the returned cleanup. */
export function scratchDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-calendar-'));
  cpSync(BUNDLED_DATA_DIR, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function emptyDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-calendar-extra-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const readJsonFile = (path: string): any => JSON.parse(readFileSync(path, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

export const writeJsonFile = (path: string, value: unknown, indent = 2): void => writeFileSync(path, `${JSON.stringify(value, null, indent)}\n`);
