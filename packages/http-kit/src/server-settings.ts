import type { SqlQueryable } from '@lapor/sql';

/**
 * Settings of the PostgreSQL server the system counts on, each with what breaks without it. A
 * server set otherwise still runs: each process says so once at start, in a line an operator can act
 * on, rather than the system degrading or losing writes without a word. (A machine of ours ran with
 * autovacuum off, set in its configuration file: nothing said so.)
 */
const COUNTED_ON: ReadonlyArray<{ readonly name: string; readonly holds: (setting: string) => boolean; readonly without: string }> = [
  {
    name: 'fsync',
    holds: (setting) => setting === 'on',
    without: 'a complaint acknowledged (201) can be lost when the server crashes',
  },
  {
    name: 'synchronous_commit',
    holds: (setting) => setting !== 'off',
    without: 'the last moments of acknowledged writes can be lost when the server crashes',
  },
  {
    name: 'autovacuum',
    holds: (setting) => setting === 'on',
    without:
      'nothing refreshes the planner statistics and visibility maps of the event log and the live read models, so their plans and index-only scans degrade as they grow, and dead rows are never reclaimed',
  },
];

/** One line for each setting counted on that the server does not have, naming it and what it costs. */
export function settingWarnings(settings: ReadonlyMap<string, string>): Array<{ readonly setting: string; readonly value: string; readonly message: string }> {
  return COUNTED_ON.flatMap(({ name, holds, without }) => {
    const value = settings.get(name);
    if (value === undefined || holds(value)) return [];
    return [{ setting: name, value, message: `PostgreSQL runs with ${name} = ${value}: ${without}. Set it back in the server's configuration.` }];
  });
}

/** Reads those settings from the server and warns about each one off (the start of a process on a server). */
export async function warnAboutServerSettings(db: SqlQueryable, log: { warn(object: object, message: string): void }): Promise<void> {
  const rows = await db.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])', [
    COUNTED_ON.map(({ name }) => name),
  ]);
  for (const { setting, value, message } of settingWarnings(new Map(rows.map((row) => [row.name, row.setting])))) log.warn({ setting, value }, message);
}
