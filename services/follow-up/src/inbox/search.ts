import type { SqlQueryable } from '@lapor/sql';
import { INBOX_SCHEMA, SEARCH_CONFIGURATION, titleWordsOf } from './tables';

// A staff search made into what the complaints' indexes answer: one text-search query over the
// stored vectors (the typed words, stemmed, in the title or description; or, for typos, title words
// spelt like each typed word, found in the title or description: without a weight in the query the
// GIN index answers it exactly, so a total is counted from the index alone), and, when the text
// could be a part of a tracking id, a pattern for the tracking ids' trigram index. Typos are matched against the lexicon of distinct title words
// (inbox.title_words, a few thousand rows) rather than against every title in the country: a trigram
// match over a million titles costs seconds, the words it finds here cost one GIN lookup more.

/** How alike a title word must be to a typed word to stand for it (pg_trgm similarity, 0..1). */
export const TYPO_SIMILARITY = 0.4;
/** At most this many title words stand for one typed word (the most alike first). */
export const TYPO_WORDS = 5;
/** Typed words shorter than this are not matched for typos: they share too few trigrams to tell. */
const TYPO_MIN_LENGTH = 3;

/** What a search is run as (see searchMatches). */
export interface ResolvedSearch {
  /** A tsquery, as text. */
  readonly query: string;
  /** A LIKE pattern for the tracking ids, when the text could be a part of one. */
  readonly trackingPattern: string | null;
}

/** A LIKE pattern matching the text anywhere, its wildcards taken literally. */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A tracking id is LAP- and ten letters and digits: text with a space or another character in it is
 * not a part of one, and under three characters the trigram index cannot look it up (a scan of every
 * complaint), so neither is tried.
 */
const couldBeTrackingId = (text: string): boolean => /^[A-Za-z0-9-]{3,}$/.test(text);

/** websearch operators (a phrase, "or", an excluded word): the typed words are then not all wanted. */
const hasOperators = (text: string): boolean => /["]|(^|\s)-\S|\sor\s/i.test(text);

/** One round trip: the typed words and the title words like them, as one tsquery. */
export async function resolveSearch(db: SqlQueryable, text: string): Promise<ResolvedSearch> {
  const trimmed = text.trim();
  const typos = !hasOperators(trimmed);
  const [row] = await db.query<{ query: string }>(
    `WITH typed AS (
       SELECT DISTINCT word FROM unnest(${titleWordsOf('$1')}) AS word
       WHERE $2 AND length(word) >= ${TYPO_MIN_LENGTH} AND numnode(plainto_tsquery('${SEARCH_CONFIGURATION}', word)) > 0
     ), alike AS (
       SELECT typed.word, (
         SELECT string_agg('''' || replace(replace(w.word, '\\', '\\\\'), '''', '''''') || '''', ' | ')
         FROM (SELECT t.word FROM ${INBOX_SCHEMA}.title_words t
               WHERE t.word % typed.word AND similarity(t.word, typed.word) >= ${TYPO_SIMILARITY}
               ORDER BY similarity(t.word, typed.word) DESC, t.word LIMIT ${TYPO_WORDS}) w
       ) AS alternatives
       FROM typed
     )
     SELECT (websearch_to_tsquery('${SEARCH_CONFIGURATION}', $1) ||
             CASE WHEN count(*) > 0 AND bool_and(alternatives IS NOT NULL)
                  THEN to_tsquery('${SEARCH_CONFIGURATION}', string_agg('(' || alternatives || ')', ' & '))
                  ELSE ''::tsquery END)::text AS query
     FROM alike`,
    [trimmed, typos],
  );
  return { query: row?.query ?? '', trackingPattern: couldBeTrackingId(trimmed) ? containing(trimmed) : null };
}

/**
 * The SQL condition on a complaints row `s` for a resolved search; `param` adds a parameter and
 * answers its placeholder.
 */
export function searchMatches(s: string, search: ResolvedSearch, param: (value: unknown) => string): string {
  const arms: string[] = [];
  if (search.query !== '') arms.push(`${s}.search @@ ${param(search.query)}::tsquery`);
  if (search.trackingPattern) arms.push(`${s}.tracking_id ILIKE ${param(search.trackingPattern)}`);
  return arms.length === 0 ? 'false' : `(${arms.join(' OR ')})`;
}
