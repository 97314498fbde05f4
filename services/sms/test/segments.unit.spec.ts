import fc from 'fast-check';
import { isGsm7, lengthIn, LIMITS, plainer, segmentSms } from '../src/segments/segment';

// SMS segments: GSM-7 160 single / 153 per part, UCS-2 70 / 67, cut with an ellipsis past the limit.

const gsm = (n: number) => 'a'.repeat(n);

describe('segmenting an SMS', () => {
  it('given GSM-7 text of 160 characters, then it is one SMS; of 161, two parts of 153 and 8', () => {
    expect(segmentSms(gsm(160), 5)).toEqual({ encoding: 'GSM-7', parts: [gsm(160)], truncated: false });
    const two = segmentSms(gsm(161), 5);
    expect(two.parts.map((part) => part.length)).toEqual([153, 8]);
    expect(two.truncated).toBe(false);
  });

  it('given characters of the extension table, then each costs two septets and an escape pair is never split', () => {
    expect(segmentSms('€'.repeat(80), 5).parts).toHaveLength(1); // 160 septets
    const split = segmentSms(`${gsm(152)}€${gsm(10)}`, 5);
    // the € would straddle septets 153-154: it opens the second part instead
    expect(split.parts[0]).toBe(gsm(152));
    expect(split.parts[1]!.startsWith('€')).toBe(true);
  });

  it('given a character outside GSM-7, then the whole message is UCS-2: 70 single, 67 per part', () => {
    expect(segmentSms(`${'a'.repeat(69)}ā`, 5)).toMatchObject({ encoding: 'UCS-2', parts: [`${'a'.repeat(69)}ā`] });
    const parts = segmentSms(`${'a'.repeat(70)}ā`, 5).parts;
    expect(parts.map((part) => part.length)).toEqual([67, 4]);
  });

  it('given an emoji, then its surrogate pair stays in one part', () => {
    const text = `${'b'.repeat(66)}😀${'b'.repeat(10)}`;
    const { encoding, parts } = segmentSms(text, 5);
    expect(encoding).toBe('UCS-2');
    expect(parts[0]).toBe('b'.repeat(66));
    expect(parts[1]!.startsWith('😀')).toBe(true);
  });

  it('given more than the parts allowed, then it is cut at a word and ends with "..."', () => {
    const words = Array.from({ length: 200 }, (_, i) => `kata${i}`).join(' ');
    const { parts, truncated } = segmentSms(words, 2);
    expect(truncated).toBe(true);
    expect(parts).toHaveLength(2);
    const sent = parts.join('');
    expect(sent.endsWith('...')).toBe(true);
    expect(lengthIn(sent, 'GSM-7')).toBeLessThanOrEqual(2 * 153);
    expect(words.startsWith(sent.slice(0, -3))).toBe(true);
    expect(/kata\d+$/.test(sent.slice(0, -3))).toBe(true); // a whole word before the ellipsis
  });

  it('given one part allowed, then a long text is cut to one full SMS of 160', () => {
    const { parts, truncated } = segmentSms(gsm(400), 1);
    expect(truncated).toBe(true);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.length).toBe(160);
  });

  it('given curly quotes and dashes pasted by staff, then they are sent as plain GSM-7, not UCS-2', () => {
    expect(plainer('“Sudah” – diperbaiki…')).toBe('"Sudah" - diperbaiki...');
    expect(segmentSms('Jalan ‘sudah’ diperbaiki — terima kasih', 5).encoding).toBe('GSM-7');
  });

  it('holds for any text: parts within their limits, the original kept whole when it fits, never more than maxParts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '€', 'é', 'ā', '😀', '\n'), maxLength: 1_200 }),
        fc.integer({ min: 1, max: 6 }),
        (text, maxParts) => {
          const { encoding, parts, truncated } = segmentSms(text, maxParts);
          expect(encoding).toBe(isGsm7(plainer(text)) ? 'GSM-7' : 'UCS-2');
          expect(parts.length).toBeLessThanOrEqual(maxParts);
          const limit = parts.length === 1 ? LIMITS[encoding].single : LIMITS[encoding].part;
          for (const part of parts) expect(lengthIn(part, encoding)).toBeLessThanOrEqual(limit);
          if (!truncated) expect(parts.join('')).toBe(plainer(text));
        },
      ),
    );
  });
});
