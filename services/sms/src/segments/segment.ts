// ---------------------------------------------------------------------------
// Splitting a message into SMS segments (3GPP TS 23.038 / 23.040)
//
// GSM-7: 160 septets in a single SMS, 153 in each part of a concatenated one (the user data header
// takes 7); characters of the extension table (€ [ ] { } etc.) take two septets, an escape and the
// character, and the two never go to different parts. A text with anything outside the GSM-7
// alphabet goes as UCS-2: 70 UTF-16 units single, 67 per part, a surrogate pair never split.
// ---------------------------------------------------------------------------

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface Segmented {
  readonly encoding: SmsEncoding;
  /** The parts, in order; their concatenation is the text as sent (truncated or not). */
  readonly parts: readonly string[];
  /** The text was longer than `maxParts` allow and was cut, with an ellipsis. */
  readonly truncated: boolean;
}

const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/** Typographic characters staff paste from word processors, to the GSM-7 characters a handset shows alike. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\t': ' ',
};

/**
 * Curly quotes, dashes and the ellipsis become their plain forms: one such character would
 * otherwise turn the whole message into UCS-2 and cut what fits in an SMS from 160 to 70.
 */
export const plainer = (text: string): string => text.replace(/[\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00a0\t]/g, (c) => LOOK_ALIKES[c] ?? c);

export const isGsm7 = (text: string): boolean => [...text].every((c) => BASIC.has(c) || EXTENSION.has(c));

/** What one character costs: septets in GSM-7, UTF-16 units in UCS-2. */
const cost = (character: string, encoding: SmsEncoding): number => (encoding === 'GSM-7' ? (EXTENSION.has(character) ? 2 : 1) : character.length);

export const lengthIn = (text: string, encoding: SmsEncoding): number => [...text].reduce((sum, c) => sum + cost(c, encoding), 0);

/** Characters (code points) from the start of `characters` that fit in `room`. */
function fitting(characters: readonly string[], room: number, encoding: SmsEncoding): number {
  let used = 0;
  let count = 0;
  for (const character of characters) {
    const next = used + cost(character, encoding);
    if (next > room) break;
    used = next;
    count++;
  }
  return count;
}

/**
 * The message as SMS segments: one part when it fits in a single SMS, else as many parts as it
 * needs; past `maxParts` it is cut (at a space when there is one near) and ends with an ellipsis,
 * so what arrives is complete sentences and a sign that more was meant.
 */
export function segmentSms(message: string, maxParts: number): Segmented {
  if (!Number.isInteger(maxParts) || maxParts < 1) throw new RangeError(`maxParts must be a positive integer, got ${maxParts}`);
  const text = plainer(message);
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const limits = LIMITS[encoding];
  const total = lengthIn(text, encoding);
  if (total <= limits.single) return { encoding, parts: [text], truncated: false };

  // a single SMS when cut to one part holds more than one part of a concatenated message
  const capacity = maxParts === 1 ? limits.single : limits.part * maxParts;
  let characters = [...text];
  let truncated = false;
  if (total > capacity) {
    const ellipsis = encoding === 'GSM-7' ? '...' : '\u2026';
    let keep = fitting(characters, capacity - lengthIn(ellipsis, encoding), encoding);
    const space = characters.lastIndexOf(' ', keep);
    // cut at a word when one ends in the last 20 characters
    if (space > 0 && space > keep - 20) keep = space;
    characters = [...`${characters.slice(0, keep).join('').trimEnd()}${ellipsis}`];
    truncated = true;
  }
  if (lengthIn(characters.join(''), encoding) <= limits.single) return { encoding, parts: [characters.join('')], truncated };
  const parts: string[] = [];
  while (characters.length > 0) {
    const count = fitting(characters, limits.part, encoding);
    parts.push(characters.slice(0, count).join(''));
    characters = characters.slice(count);
  }
  return { encoding, parts, truncated };
}
