// Small files of each kind, made here byte by byte, for the tests of sniffing, GPS blanking and uploads.

/** Latitude -8.5569 (Kupang), as EXIF writes it: degrees, minutes, seconds as rationals. */
export const KUPANG_SECONDS = [8, 33, 2484] as const;

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}
function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}
const entry = (tag: number, type: number, count: number, value: Buffer) => Buffer.concat([u16(tag), u16(type), u32(count), value]);

/** A JPEG whose EXIF (big-endian) holds an orientation and a GPS position, then `body` as its image data. */
export function jpegWithGps(body: Buffer = Buffer.from('image data')): Buffer {
  // TIFF header (8) + IFD0 with 2 entries (2 + 24 + 4) = 38; GPS IFD at 38 with 2 entries (2 + 24 + 4) = 30; rationals at 68
  const ifd0 = Buffer.concat([u16(2), entry(0x0112, 3, 1, Buffer.from([0, 6, 0, 0])), entry(0x8825, 4, 1, u32(38)), u32(0)]);
  const gps = Buffer.concat([u16(2), entry(0x0001, 2, 2, Buffer.from('S\0\0\0')), entry(0x0002, 5, 3, u32(68)), u32(0)]);
  const rationals = Buffer.concat(KUPANG_SECONDS.flatMap((n) => [u32(n), u32(n === 2484 ? 100 : 1)]));
  const tiff = Buffer.concat([Buffer.from('MM'), u16(42), u32(8), ifd0, gps, rationals]);
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16(exif.length + 2), exif]);
  const app0 = Buffer.concat([Buffer.from([0xff, 0xe0]), u16(16), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(9)]);
  const sos = Buffer.concat([Buffer.from([0xff, 0xda]), u16(8), Buffer.alloc(6)]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, app1, sos, body, Buffer.from([0xff, 0xd9])]);
}

/** A one-page PDF's start, with `text` inside it. */
export const pdfWith = (text: string): Buffer => Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
