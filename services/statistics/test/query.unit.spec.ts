import { RecapQuery, TableQuery } from '../src/query';

// Fuzzing found years the zone arithmetic and the database cannot hold (0000, 0001, 9999): they are
// refused by the schema, naming the field, before any query runs.

describe('statistics periods', () => {
  const fields = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((issue) => issue.path.join('.'));

  it.each([
    [{ from: '0000-01-01', to: '2025-01-31' }, ['from']],
    [{ from: '0001-01-01', to: '2025-01-31' }, ['from']],
    [{ from: '2025-01-01', to: '9999-12-31' }, ['to']],
    [{ from: '1999-12-31', to: '2101-01-01' }, ['from', 'to']],
  ])('given %j, then it is refused naming %j', (period, named) => {
    expect(fields(TableQuery.safeParse({ nodeId: 'nasional', ...period }))).toEqual(named);
  });

  it('given a period within 2000 to 2100, then it is accepted; an asOf outside them is refused', () => {
    expect(TableQuery.safeParse({ nodeId: 'nasional', from: '2000-01-01', to: '2100-12-31' }).success).toBe(true);
    expect(fields(RecapQuery.safeParse({ nodeId: 'nasional', from: '2025-01-01', to: '2025-01-31', asOf: '0000-01-01T00:00:00Z' }))).toEqual(['asOf']);
  });
});
