import { stripJpegGps } from './exif';
import { sniffType, type AllowedType } from './sniff';

// EXIF lives in APP1 segments of at most 64 KiB, after at most a JFIF APP0: this much head holds it.
const HEAD_BYTES = 160 * 1024;

export interface InspectedUpload {
  /** Undefined: not an allowed type (415). */
  readonly mediaType: AllowedType | undefined;
  /** The whole file again, as it is to be stored (the GPS position blanked when asked). */
  readonly content: AsyncIterable<Buffer>;
  readonly gpsStripped: boolean;
}

/**
 * Reads a file's head while it streams in, to sniff its type and (for an anonymous reporter's
 * JPEG) blank its GPS position, then hands on the head and the rest: never the whole file in memory.
 */
export async function inspectUpload(content: AsyncIterable<Uint8Array>, options: { stripGps: boolean }): Promise<InspectedUpload> {
  const source = content[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  while (bytes < HEAD_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(Buffer.from(next.value));
    bytes += next.value.length;
  }
  const head = Buffer.concat(parts);
  const mediaType = sniffType(head);
  const gpsStripped = options.stripGps && mediaType === 'image/jpeg' && stripJpegGps(head);
  async function* all(): AsyncIterable<Buffer> {
    yield head;
    if (ended) return;
    for (let next = await source.next(); !next.done; next = await source.next()) yield Buffer.from(next.value);
  }
  return { mediaType, content: all(), gpsStripped };
}
