// What a file is, from its first bytes; never from its name or the type the client claims.
// file-type does this for hundreds of formats but is ESM-only, and jest here runs CommonJS (its
// dependencies would all need the transform); the formats allowed are few and their signatures fixed.

export const ALLOWED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  // Word 97-2003, Excel and PowerPoint files: one container format (OLE2), told apart only deep inside
  'application/x-ole-storage',
] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];

const startsWith = (head: Buffer, bytes: readonly number[], at = 0): boolean => bytes.every((byte, i) => head[at + i] === byte);
const ascii = (head: Buffer, from: number, to: number): string => head.subarray(from, to).toString('latin1');

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The ZIP's first entries name what the document is; a plain ZIP is not allowed. */
function officeType(head: Buffer): AllowedType | undefined {
  const text = head.toString('latin1');
  if (!text.includes('[Content_Types].xml') && !text.includes('_rels/')) return undefined;
  if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (text.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return undefined;
}

/** The allowed type the head of a file shows, or undefined when it is none of them. */
export function sniffType(head: Buffer): AllowedType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(head, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(head, 8, 12))) return 'image/heic';
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return officeType(head);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage';
  return undefined;
}
