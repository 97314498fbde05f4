// Reads of a few streams at once are what every command and every staff request begins with. Given
// their streams as one array parameter (`unnest($1::text[])`), PostgreSQL cannot know how many rows
// the array holds: a plan made for any array is costed for a hundred, so the server planned every
// call anew for its actual array, and planning took longer than the read (0.13 ms of the session
// check's 0.16 ms, measured with pg_stat_statements). A list of that many parameters is costed for
// exactly its rows: after its first few calls the server keeps one plan per list length and
// reuses it, so a read is parsed, planned and then only executed.

/** Up to this many streams get a list of their own length; more share the array form. */
export const MAX_LISTED = 16;

/** `(VALUES ($1::text, $2::bigint), ($3::text, $4::bigint))`: `count` rows of the given column types. */
export function valuesList(count: number, types: readonly string[]): string {
  const rows = Array.from({ length: count }, (_, row) => `(${types.map((type, column) => `$${row * types.length + column + 1}::${type}`).join(', ')})`);
  return `(VALUES ${rows.join(', ')})`;
}

/** The statement for `count` items: a list of its own up to MAX_LISTED (`listed`), else the array form. */
export function byCount(listedForm: (count: number) => string, arrayForm: () => string): (count: number) => { sql: string; listed: boolean } {
  const made = new Map<number, string>();
  const array = arrayForm();
  return (count) => {
    if (count > MAX_LISTED) return { sql: array, listed: false };
    let sql = made.get(count);
    if (sql === undefined) made.set(count, (sql = listedForm(count)));
    return { sql, listed: true };
  };
}
