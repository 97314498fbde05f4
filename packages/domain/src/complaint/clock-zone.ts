import type { IndonesianTimeZone } from '../organisation/nodes';
import { NATIONAL_TIME_ZONE } from '../organisation/nodes';
import type { OrganisationTree } from '../organisation/tree';
import type { Complaint } from './state';

// Which time zone answers "what day is it?" for a complaint. Two questions, two answers, each
// defined here once; the scheduler's deadlines and the statistics' "≤ N hari" columns both ask
// here, so a complaint cannot be on time in one and late in the other.

/**
 * A working-day clock: the SLA stages, and the two automatic steps (Tunda's archive, the quiet
 * period after a follow-up that closes a complaint).
 */
export type ComplaintClock = 'verification' | 'first_follow_up' | 'completion' | 'missing_data' | 'quiet_after_follow_up';

const zoneOfNode = (nodeId: string | null | undefined, tree: OrganisationTree): IndonesianTimeZone =>
  nodeId && tree.has(nodeId) ? tree.timeZoneOf(nodeId) : NATIONAL_TIME_ZONE;

/**
 * The zone a clock counts working days in: the office days of the people the clock is running
 * for, fixed by what is known when the clock starts, so a deadline set then never moves.
 * - verification: the desk at the door (Admin Nasional, or the instansi the reporter addressed);
 *   it starts at receipt, when the door is all that is known.
 * - the unit's stages (first follow-up, completion, the quiet period after a follow-up): the
 *   instansi of the unit holding it; a new disposition starts these clocks again.
 * - missing data (Tunda): the instansi that asked, or the door when Admin Nasional asked.
 */
export function clockZoneOf(complaint: Complaint, clock: ComplaintClock, tree: OrganisationTree): IndonesianTimeZone {
  switch (clock) {
    case 'verification':
      return zoneOfNode(complaint.addressedTo.id, tree);
    case 'first_follow_up':
    case 'completion':
    case 'quiet_after_follow_up':
      return zoneOfNode(complaint.assignedUnit?.id ?? complaint.instansiId ?? complaint.addressedTo.id, tree);
    case 'missing_data':
      return zoneOfNode(complaint.instansiId ?? complaint.addressedTo.id, tree);
    default: {
      const unknown: never = clock;
      throw new Error(`unknown clock ${String(unknown)}`);
    }
  }
}

/**
 * The zone of the calendar date a complaint is counted in ("received on 31 December 2024"): the
 * door's. Unlike a clock it is about the citizen's day, not an office's, and it must never change
 * after receipt, or a published report for a year would lose or gain complaints.
 */
export const receivedZoneOf = (complaint: Pick<Complaint, 'addressedTo'>, tree: OrganisationTree): IndonesianTimeZone =>
  zoneOfNode(complaint.addressedTo.id, tree);
