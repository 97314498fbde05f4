import { settingWarnings } from '../src/server-settings';

describe('what each process says at start about the PostgreSQL server it runs on', () => {
  it('given a server as shipped (fsync, synchronous_commit and autovacuum on), then nothing', () => {
    expect(
      settingWarnings(
        new Map([
          ['fsync', 'on'],
          ['synchronous_commit', 'on'],
          ['autovacuum', 'on'],
        ]),
      ),
    ).toEqual([]);
  });

  it('given synchronous commit to a standby, then nothing: only off loses acknowledged writes', () => {
    expect(settingWarnings(new Map([['synchronous_commit', 'remote_apply']]))).toEqual([]);
  });

  it('given autovacuum off, then one warning naming the setting, its value and what it costs', () => {
    const [warning, ...none] = settingWarnings(
      new Map([
        ['fsync', 'on'],
        ['autovacuum', 'off'],
      ]),
    );

    expect(none).toEqual([]);
    expect(warning).toMatchObject({ setting: 'autovacuum', value: 'off' });
    expect(warning!.message).toMatch(/autovacuum = off: nothing refreshes the planner statistics/);
  });

  it('given fsync and synchronous_commit off, then a warning each that acknowledged complaints can be lost', () => {
    const warnings = settingWarnings(
      new Map([
        ['fsync', 'off'],
        ['synchronous_commit', 'off'],
      ]),
    );

    expect(warnings.map(({ setting }) => setting)).toEqual(['fsync', 'synchronous_commit']);
    expect(warnings.every(({ message }) => /lost when the server crashes/.test(message))).toBe(true);
  });
});
