import { normaliseTrackingId, type TrackingId } from '@lapor/domain';

// ---------------------------------------------------------------------------
// The SMS 1708 grammar: what a citizen's text asks for. Pure: no store, no clock.
//
//   <free text>                      a new complaint, addressed to nasional
//   <KEYWORD> <text>                 a new complaint to the instansi of that regional keyword
//   STATUS <tracking id>             the complaint's current status
//   <tracking id> <text>             a reply to the follow-up, or the missing data (Tunda)
//   BANTUAN / INFO / HELP            how to use the service
//
// Case does not matter, nor extra spaces, nor punctuation stuck to the words ("status:", "#NTT,").
// ---------------------------------------------------------------------------

export type HelpReason =
  /** Nothing but spaces or punctuation. */
  | 'empty'
  /** BANTUAN, INFO, HELP, MENU or ? alone. */
  | 'asked'
  /** STATUS without a tracking id. */
  | 'status_without_id'
  /** Something that was meant as a tracking id and is not one. */
  | 'invalid_tracking_id'
  /** A tracking id and nothing after it. */
  | 'respond_without_text'
  /** A regional keyword and nothing after it. */
  | 'keyword_without_text'
  /** Too little to be a complaint anyone could act on. */
  | 'too_short';

export type SmsIntent =
  | { readonly kind: 'submit'; readonly text: string; readonly keyword: { readonly word: string; readonly instansiId: string } | null }
  | { readonly kind: 'status'; readonly trackingId: TrackingId }
  | { readonly kind: 'respond'; readonly trackingId: TrackingId; readonly text: string }
  | { readonly kind: 'help'; readonly reason: HelpReason; readonly trackingId?: TrackingId; readonly attempted?: string; readonly keyword?: string };

/** KEYWORD (upper case) → instansi id. */
export type RegionalKeywords = ReadonlyMap<string, string>;

/** Words the grammar keeps for itself: no regional keyword may take them. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['STATUS', 'CEK', 'BANTUAN', 'INFO', 'HELP', 'MENU', 'LAP']);
const HELP_WORDS = new Set(['BANTUAN', 'INFO', 'HELP', 'MENU']);
const STATUS_WORDS = new Set(['STATUS', 'CEK']);
/** A complaint needs at least this much to be read by anyone: two words and ten letters or digits. */
const MIN_WORDS = 2;
const MIN_LETTERS = 10;

// Punctuation stuck to a word's ends: "status:", "#NTT,", "*LAP-XXXX*", "(ntt)".
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const LEADING_PUNCTUATION = /^[^\p{L}\p{N}]+/u;
const bare = (token: string): string => token.replace(EDGE_PUNCTUATION, '').toUpperCase();

/** The text as one line of single spaces; SMS handsets add odd whitespace (tabs, non-breaking spaces). */
export const cleanText = (text: string): string => text.replace(/[\s\u00a0\u2000-\u200b\u3000]+/g, ' ').trim();

interface FoundId {
  readonly trackingId: TrackingId;
  /** Tokens it took: "LAP-7KQ2M9XH4D" is one, "LAP 7KQ2M9XH4D" two. */
  readonly tokens: number;
}

/**
 * A tracking id at the start of `tokens`, written with its LAP prefix in any of the ways people do
 * (`LAP-7KQ2M9XH4D`, `lap7kq2m9xh4d`, `LAP 7KQ2M9XH4D`); `bareAllowed` also takes the ten characters
 * alone, which only STATUS may, since a ten-letter word (MASYARAKAT) could be read as one.
 */
function trackingIdAt(tokens: readonly string[], bareAllowed: boolean): FoundId | null {
  const first = bare(tokens[0] ?? '');
  if (first === 'LAP' && tokens[1] !== undefined) {
    const joined = normaliseTrackingId(`LAP${bare(tokens[1])}`);
    if (joined) return { trackingId: joined, tokens: 2 };
  }
  if (first.startsWith('LAP') || bareAllowed) {
    const single = normaliseTrackingId(first.startsWith('LAP') ? first : `LAP${first}`);
    if (single) return { trackingId: single, tokens: 1 };
  }
  return null;
}

/**
 * Looks like someone meant a tracking id (LAP and eight or more letters and digits, at least one a
 * digit) without it being one: a mistyped id gets told so, rather than becoming a complaint. Words
 * such as LAPOR or LAPANGAN have no digit and stay words.
 */
function attemptedId(tokens: readonly string[]): string | null {
  const first = bare(tokens[0] ?? '');
  const candidate = first === 'LAP' && tokens[1] !== undefined ? `LAP${bare(tokens[1])}` : first;
  const compact = candidate.replace(/-/g, '');
  return /^LAP[A-Z0-9]{8,12}$/.test(compact) && /\d/.test(compact.slice(3)) ? candidate : null;
}

const tooShort = (text: string): boolean =>
  text.split(' ').filter((word) => /[\p{L}\p{N}]/u.test(word)).length < MIN_WORDS || (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_LETTERS;

/** What the text asks for. Never throws: anything it cannot read is a `help` with the reason. */
export function parseSms(text: string, keywords: RegionalKeywords): SmsIntent {
  const cleaned = cleanText(text);
  const tokens = cleaned.split(' ').filter((token) => token !== '');
  if (tokens.length === 1 && /^\?+$/.test(tokens[0]!)) return { kind: 'help', reason: 'asked' };
  if (tokens.every((token) => bare(token) === '')) return { kind: 'help', reason: 'empty' };
  const first = bare(tokens[0]!);
  if (tokens.length === 1 && HELP_WORDS.has(first)) return { kind: 'help', reason: 'asked' };

  if (STATUS_WORDS.has(first)) {
    const rest = tokens.slice(1);
    if (rest.length === 0) return { kind: 'help', reason: 'status_without_id' };
    const found = trackingIdAt(rest, true);
    // a bare id only as the whole rest: "STATUS MASYARAKAT DESA…" is a complaint about status, not a query
    if (found && (bare(rest[0]!).startsWith('LAP') || rest.length === found.tokens)) return { kind: 'status', trackingId: found.trackingId };
    const attempted = attemptedId(rest);
    if (attempted || rest.length === 1) return { kind: 'help', reason: 'invalid_tracking_id', attempted: attempted ?? bare(rest[0]!) };
    // "Status jalan di desa kami…": free text that happens to start with the word
  } else {
    const found = trackingIdAt(tokens, false);
    if (found) {
      const reply = tokens.slice(found.tokens).join(' ').replace(LEADING_PUNCTUATION, '');
      if (reply === '') return { kind: 'help', reason: 'respond_without_text', trackingId: found.trackingId };
      return { kind: 'respond', trackingId: found.trackingId, text: reply };
    }
    const attempted = attemptedId(tokens);
    if (attempted) return { kind: 'help', reason: 'invalid_tracking_id', attempted };
  }

  const instansiId = keywords.get(first);
  if (instansiId !== undefined) {
    const rest = tokens.slice(1).join(' ').replace(LEADING_PUNCTUATION, '');
    if (rest === '') return { kind: 'help', reason: 'keyword_without_text', keyword: first };
    if (tooShort(rest)) return { kind: 'help', reason: 'too_short' };
    return { kind: 'submit', text: rest, keyword: { word: first, instansiId } };
  }
  if (tooShort(cleaned)) return { kind: 'help', reason: 'too_short' };
  return { kind: 'submit', text: cleaned, keyword: null };
}

const TITLE_LENGTH = 80;

/** A complaint's title from its SMS: the first sentence, at most 80 characters, cut at a word. */
export function titleOf(text: string): string {
  const sentence = text.split(/(?<=[.!?])\s/)[0] ?? text;
  if (sentence.length <= TITLE_LENGTH) return sentence;
  const cut = sentence.slice(0, TITLE_LENGTH - 3);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}...`;
}
