import { randomBytes } from 'node:crypto';
import { inspectUpload, sniffType, stripJpegGps } from '../src';
import { jpegWithGps, KUPANG_SECONDS, pdfWith } from '../src/contract/samples';

const u32s = (values: readonly number[]) => Buffer.concat(values.map((n) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])));
/** The rationals of the latitude as the sample writes them. */
const latitude = u32s(KUPANG_SECONDS.flatMap((n) => [n, n === 2484 ? 100 : 1]));

async function* inPieces(bytes: Buffer, piece: number): AsyncIterable<Buffer> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}
async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

describe('what a file is, by its content', () => {
  const zip = (first: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(`${first}...word/document.xml`)]);
  it.each([
    ['a JPEG photo', jpegWithGps(), 'image/jpeg'],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['a WebP', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp'],
    ['a HEIC photo from a phone', Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'), 'image/heic'],
    ['a PDF', pdfWith('surat'), 'application/pdf'],
    ['a Word document', zip('[Content_Types].xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a Word 97 document', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), 'application/x-ole-storage'],
  ])('given %s, then its type is recognised', (_, bytes, type) => {
    expect(sniffType(bytes)).toBe(type);
  });

  it.each([
    ['a script named like a photo', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['an HTML page', Buffer.from('<html><script>alert(1)</script></html>')],
    ['a plain ZIP', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('payload.exe')])],
    ['an empty file', Buffer.alloc(0)],
  ])('given %s, then it is not an allowed type', (_, bytes) => {
    expect(sniffType(bytes)).toBeUndefined();
  });
});

describe("an anonymous reporter's photo loses its GPS position", () => {
  it('given a JPEG with a GPS position, when stripped, then the position is gone and the orientation kept, the size unchanged', () => {
    const photo = jpegWithGps();
    expect(photo.includes(latitude)).toBe(true);
    const stripped = Buffer.from(photo);

    expect(stripJpegGps(stripped)).toBe(true);
    expect(stripped.includes(latitude)).toBe(false);
    expect(stripped.includes(Buffer.from('S\0\0\0'))).toBe(false);
    expect(stripped.length).toBe(photo.length);
    // orientation tag 0x0112 = 6 still in IFD0
    expect(stripped.includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6]))).toBe(true);
    expect(stripJpegGps(stripped)).toBe(false);
  });

  it('given a photo arriving in small pieces, when inspected for an anonymous reporter, then the stored bytes carry no position and the image data is intact', async () => {
    const imageData = randomBytes(300_000);
    const inspected = await inspectUpload(inPieces(jpegWithGps(imageData), 1000), { stripGps: true });
    const stored = await collect(inspected.content);
    expect(inspected).toMatchObject({ mediaType: 'image/jpeg', gpsStripped: true });
    expect(stored.includes(latitude)).toBe(false);
    expect(stored.includes(imageData)).toBe(true);
  });

  it('given a named reporter, then the photo is stored as sent', async () => {
    const photo = jpegWithGps(randomBytes(1000));
    const inspected = await inspectUpload(inPieces(photo, 100), { stripGps: false });
    expect((await collect(inspected.content)).equals(photo)).toBe(true);
    expect(inspected.gpsStripped).toBe(false);
  });
});
