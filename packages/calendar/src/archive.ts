import { YearConflictError } from './errors';
import type { YearData } from './year';

// Everything the process knows about holidays: every year, every revision, provisional ones
// included. It only ever grows by appending revisions, which is what lets any calendar version
// built from it earlier be rebuilt later (see version.ts).

export type RevisionRelation = 'equal' | 'extends' | 'older' | 'conflict';

/** How `incoming` relates to `current`: the same, current plus appended revisions, a prefix of it, or neither. */
export function relate(current: YearData, incoming: YearData): RevisionRelation {
  const shared = Math.min(current.hashes.length, incoming.hashes.length);
  for (let index = 0; index < shared; index += 1) {
    if (current.hashes[index] !== incoming.hashes[index]) return 'conflict';
  }
  if (incoming.hashes.length === current.hashes.length) return 'equal';
  return incoming.hashes.length > current.hashes.length ? 'extends' : 'older';
}

export class HolidayArchive {
  private constructor(private readonly byYear: ReadonlyMap<number, YearData>) {}

  static readonly EMPTY = new HolidayArchive(new Map());

  get years(): readonly number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  get(year: number): YearData | undefined {
    return this.byYear.get(year);
  }

  /**
   * Adds a year, or amendments to one. `incoming` must equal the loaded data or extend it with
   * appended revisions: anything else would rewrite a year deadlines may already rest on.
   * With `acceptOlder`, a stale copy (a prefix of what is loaded) is ignored instead of refused;
   * the loader uses this when an operator's directory lags behind the bundled data.
   */
  with(incoming: YearData, { acceptOlder = false }: { acceptOlder?: boolean } = {}): HolidayArchive {
    const current = this.byYear.get(incoming.year);
    if (!current) return new HolidayArchive(new Map([...this.byYear, [incoming.year, incoming]]));
    const relation = relate(current, incoming);
    switch (relation) {
      case 'equal':
        return this;
      case 'extends':
        return new HolidayArchive(new Map([...this.byYear, [incoming.year, incoming]]));
      case 'older':
        if (acceptOlder) return this;
        throw new YearConflictError(
          incoming.year,
          `${incoming.source} has ${incoming.hashes.length} revision(s) but ${current.source} already has ${current.hashes.length}`,
        );
      case 'conflict':
        throw new YearConflictError(incoming.year, `${incoming.source} rewrites revisions loaded from ${current.source}; append an amendment instead`);
      default: {
        const unhandled: never = relation;
        throw new Error(`unhandled relation ${String(unhandled)}`);
      }
    }
  }
}
