import { notFound, requireStaff } from '@lapor/http-kit';
import { RECAP_STRUCTURES } from '@lapor/statistics';
import type { OrganisationTree } from '@lapor/domain';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

// Periods and moments within these years: outside them the zone arithmetic and the database's date
// ranges fail (year 0 is no year to either), and no complaint was ever received there.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const withinYears = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
};
const YEARS_MESSAGE = `a date in the years ${FIRST_YEAR} to ${LAST_YEAR}`;

/** A day of a reporting period (local date in the zone of each complaint's door). */
export const LocalDate = z.iso.date().refine(withinYears, YEARS_MESSAGE);
/** A moment a table is read as of. */
export const AsOf = z.iso.datetime({ offset: true }).refine(withinYears, YEARS_MESSAGE);

/** A table of a node and the nodes below it, for complaints received in a period. */
export const TableQuery = z
  .strictObject({
    /** The parent: its own row, rolled up, and the rows of the nodes directly below it. */
    nodeId: z.string().min(1).max(100),
    /** First day of the period (local date in the zone of each complaint's door). */
    from: LocalDate,
    /** Last day of the period, included ("s.d."). */
    to: LocalDate,
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'to must not be before from' });

/**
 * Which organisation the recap's rows are drawn in: 'as-of' (default), the tree as it stood at the
 * period's end (or at asOf), so a published report never changes; 'current', today's tree with a
 * merged unit's history under its successor.
 */
export const Structure = z.enum(RECAP_STRUCTURES).default('as-of');

/** The recap also answers "as it stood then". */
export const RecapQuery = z
  .strictObject({
    nodeId: z.string().min(1).max(100),
    from: LocalDate,
    to: LocalDate,
    /** The table as it stood at this moment (default: now). */
    asOf: AsOf.optional(),
    structure: Structure,
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'to must not be before from' });

export const Format = z.enum(['csv', 'xlsx']);

/** The staff member asking, when the node is theirs to see; 404 (not 403) for a node outside their subtree. */
export async function viewerOf(request: FastifyRequest, tree: OrganisationTree, nodeId: string): Promise<void> {
  const actor = await requireStaff(request);
  if (!tree.has(nodeId) || !tree.isWithinScope(nodeId, actor.nodeId)) throw notFound(`No node ${nodeId} that you can see.`);
}

/** The latest of some instants, null when there are none. */
export const latest = (instants: readonly (string | undefined)[]): string | null =>
  instants.reduce<string | null>((best, at) => (at !== undefined && (best === null || at > best) ? at : best), null);
