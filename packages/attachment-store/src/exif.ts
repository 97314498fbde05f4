// A photo's GPS position can identify an anonymous reporter (their home, their school). For them,
// the GPS directory of a JPEG's EXIF block is blanked in place: its entries and the values they
// point to are zeroed and its entry count set to 0, so every other offset in the block stays valid
// and the rest of the metadata (orientation above all: the photo still shows upright) is kept.

const SOI = 0xd8;
const SOS = 0xda;
const APP1 = 0xe1;
const GPS_IFD_POINTER = 0x8825;
const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface Tiff {
  readonly at: number;
  readonly little: boolean;
  u16(offset: number): number;
  u32(offset: number): number;
}

function tiffAt(jpeg: Buffer, at: number): Tiff | undefined {
  const order = jpeg.toString('latin1', at, at + 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  return {
    at,
    little,
    u16: (offset) => (little ? jpeg.readUInt16LE(at + offset) : jpeg.readUInt16BE(at + offset)),
    u32: (offset) => (little ? jpeg.readUInt32LE(at + offset) : jpeg.readUInt32BE(at + offset)),
  };
}

/** Blanks the GPS directory of one EXIF block (`tiff` at its byte-order mark, `end` its end). True when there was one. */
function blankGps(jpeg: Buffer, tiff: Tiff, end: number): boolean {
  const inside = (offset: number, length: number) => tiff.at + offset >= tiff.at && tiff.at + offset + length <= end;
  const ifd0 = tiff.u32(4);
  if (!inside(ifd0, 2)) return false;
  const count = tiff.u16(ifd0);
  for (let i = 0; i < count; i += 1) {
    const entry = ifd0 + 2 + i * 12;
    if (!inside(entry, 12) || tiff.u16(entry) !== GPS_IFD_POINTER) continue;
    const gps = tiff.u32(entry + 8);
    if (!inside(gps, 2)) return false;
    const gpsCount = tiff.u16(gps);
    for (let g = 0; g < gpsCount; g += 1) {
      const field = gps + 2 + g * 12;
      if (!inside(field, 12)) break;
      const bytes = (TYPE_BYTES[tiff.u16(field + 2)] ?? 1) * tiff.u32(field + 4);
      // values over 4 bytes (the coordinates' rationals) live elsewhere in the block
      if (bytes > 4 && inside(tiff.u32(field + 8), bytes)) jpeg.fill(0, tiff.at + tiff.u32(field + 8), tiff.at + tiff.u32(field + 8) + bytes);
      jpeg.fill(0, tiff.at + field, tiff.at + field + 12);
    }
    jpeg.fill(0, tiff.at + gps, tiff.at + gps + 2);
    return gpsCount > 0;
  }
  return false;
}

/**
 * Blanks the GPS position in the EXIF blocks among a JPEG's first bytes (`head`, changed in place:
 * EXIF sits before the image data, in the first 64 KiB segments). True when a position was there.
 */
export function stripJpegGps(head: Buffer): boolean {
  if (head[0] !== 0xff || head[1] !== SOI) return false;
  let stripped = false;
  for (let at = 2; at + 4 <= head.length;) {
    if (head[at] !== 0xff) break;
    const marker = head[at + 1]!;
    if (marker === SOS) break;
    const length = head.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (end > head.length) break;
    if (marker === APP1 && head.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      const tiff = tiffAt(head, at + 10);
      if (tiff && blankGps(head, tiff, end)) stripped = true;
    }
    at = end;
  }
  return stripped;
}
