/**
 * A page's rows by key, in code-unit order (as JavaScript compares strings, never the locale): every
 * writer of a read-side table writes its rows in this order, so two writers of the same rows (two
 * processes following the log, or a page beside a rebuild's catch-up) take their locks in the same
 * order and wait for each other instead of deadlocking.
 */
export function inKeyOrder<V>(entries: Iterable<readonly [string, V]>): (readonly [string, V])[] {
  return [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
