import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from './problem';

// How every list that can grow pages: `limit` items at a time, from `cursor` (the page before's
// `nextCursor`), newest or oldest first as the list says. The answer carries `nextCursor` (null on the
// last page) and, when there is a next page, an RFC 8288 `Link: <…>; rel="next"` header: the request's
// own URL with the cursor moved on, so a client can follow pages without knowing the parameters.
// Lists bounded by nature (a taxonomy, the tree, one complaint's timers, statistics rows) stay unpaged.

/** Route config of a list that pages: the document declares its Link header (see openapi.ts). */
export const PAGED = { pagesWithLink: true } as const;

/** `limit`: how many items one page holds (optional without a default: a list with an older name for it). */
export function pageLimit(maxLimit: number, defaultLimit: number): z.ZodDefault<z.ZodCoercedNumber<unknown>>;
export function pageLimit(maxLimit: number): z.ZodOptional<z.ZodCoercedNumber<unknown>>;
export function pageLimit(maxLimit: number, defaultLimit?: number) {
  const limit = z.coerce.number().int().min(1).max(maxLimit);
  return defaultLimit === undefined
    ? limit.optional().describe(`How many items per page (1 to ${maxLimit})`)
    : limit.default(defaultLimit).describe(`How many items per page (1 to ${maxLimit}; ${defaultLimit} when absent)`);
}

/** `cursor`: where the page starts; the page before's `nextCursor` (or follow the Link rel="next"). */
export const pageCursor = z
  .string()
  .min(1)
  .max(500)
  .describe('Where the page starts: the previous page\'s nextCursor (or follow the Link header\'s rel="next"); absent for the first page');

/** The answer's `nextCursor`. */
export const NextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one');

/** A cursor this list never handed out: 400 naming the parameter, as every 400 does. */
export const badCursor = (parameter = 'cursor'): HttpProblem => {
  const detail = `${parameter} is not one this list handed out: pass a page's nextCursor as it came.`;
  return new HttpProblem(400, 'bad-cursor', 'Bad Request', detail, { errors: [{ field: `querystring.${parameter}`, message: detail }] });
};

/**
 * Sets `Link: <…>; rel="next"` when there is a next page: the request's path and query, with `set`
 * written over it (the next cursor, a page number) and `drop` left out (an older name of the cursor).
 * A relative reference, so it resolves against whatever address the client used (RFC 8288 §3.1).
 */
export function linkToNext(
  request: FastifyRequest,
  reply: FastifyReply,
  set: Readonly<Record<string, string | number>> | null,
  drop: readonly string[] = [],
): void {
  if (set === null) return;
  const url = new URL(request.url, 'http://relative.invalid');
  for (const name of drop) url.searchParams.delete(name);
  for (const [name, value] of Object.entries(set)) url.searchParams.set(name, String(value));
  void reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** An opaque cursor for a sort key (base64url), and back; null when it was not one of ours. */
export const encodeKeyCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export function decodeKeyCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return key.length > 0 && encodeKeyCursor(key) === cursor ? key : null;
}

/**
 * One page of a list a process already holds, ordered by a unique key (the accounts, the API keys):
 * the items after the cursor's key, at most `limit`. Keyed, not counted, so an item added or removed
 * between two pages moves nothing else.
 */
export function pageByKey<Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string,
  options: { readonly cursor?: string | undefined; readonly limit: number },
): { items: Item[]; nextCursor: string | null } {
  const after = options.cursor === undefined ? null : decodeKeyCursor(options.cursor);
  if (options.cursor !== undefined && after === null) throw badCursor();
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const rest = after === null ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  const page = rest.slice(0, options.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rest.length > options.limit && last !== undefined ? encodeKeyCursor(keyOf(last)) : null };
}

// code-unit order, the same in every locale (localeCompare is not)
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
