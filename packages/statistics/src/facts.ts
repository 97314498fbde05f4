import { CalendarDataMissingError, INDONESIAN_ZONES, ZONE_OFFSET_MS, type Calendar } from '@lapor/calendar';
import { clockZoneOf, isUnitKind, type Complaint, type ComplaintEvent, type IndonesianTimeZone, type OrganisationTree } from '@lapor/domain';
import { localDateOf, monthOf, receivedOnOf } from './local-date';
import { millisBetween, rowNodeOf } from './unit-recap';

// What each read table needs from a complaint, derived by pure functions from the folded complaint
// (and, for admin actions, the event). The live projection and the rebuild both go through here,
// so the two cannot disagree about what a row holds.

/** What a complaint contributes to the recap: one interval of these per change. */
export interface RecapFacts {
  readonly rowNodeId: string;
  readonly status: string;
  readonly rtlMs: number | null;
  readonly rating: number | null;
  readonly rvMs: number | null;
}

export const recapFactsOf = (complaint: Complaint): RecapFacts => ({
  rowNodeId: rowNodeOf(complaint),
  status: complaint.status,
  rtlMs: millisBetween(complaint.assignedAt, complaint.firstFollowUpAt),
  rating: complaint.rating,
  rvMs: millisBetween(complaint.receivedAt, complaint.verificationDecidedAt),
});

export const sameRecapFacts = (a: RecapFacts, b: RecapFacts): boolean =>
  a.rowNodeId === b.rowNodeId && a.status === b.status && a.rtlMs === b.rtlMs && a.rating === b.rating && a.rvMs === b.rvMs;

// The count depends only on the two local dates, and a rebuild asks for the same few thousand pairs
// millions of times: remembered per calendar, which never changes once made (a new year is a new one).
const remembered = new WeakMap<Calendar, Map<number | string, number | null>>();

const DAY_MS = 86_400_000;
const DAYS = 2 ** 20; // local days numbered from 1970 with 2^19 before it: AD 535 to 3405
/**
 * The zone and the two local dates as one number: the same pair as `${zone} ${localDateOf(from)} ${localDateOf(to)}`,
 * without formatting two dates into text per call (a rebuild calls this three times a complaint).
 */
function datePairKey(from: string, to: string, zone: IndonesianTimeZone): number | string {
  const offset = ZONE_OFFSET_MS[zone];
  const fromDay = Math.floor((Date.parse(from) + offset) / DAY_MS) + DAYS / 2;
  const toDay = Math.floor((Date.parse(to) + offset) / DAY_MS) + DAYS / 2;
  // NaN (not an instant) fails these too: the text key formats it, and throws as it always did
  if (!(fromDay >= 0 && fromDay < DAYS && toDay >= 0 && toDay < DAYS)) return `${zone} ${localDateOf(from, zone)} ${localDateOf(to, zone)}`;
  return (INDONESIAN_ZONES.indexOf(zone) * DAYS + fromDay) * DAYS + toDay;
}

/**
 * Working days a step took, as its deadline counts them (`Calendar.workingDaysTaken`), in the zone
 * of the clock it belongs to; null when either moment is missing or the calendar has no decree for
 * the year yet (the figure is unknown, not zero: it is counted again when the year is recorded).
 */
export function workingDays(calendar: Calendar, from: string | null, to: string | null, zone: IndonesianTimeZone): number | null {
  if (!from || !to) return null;
  let pairs = remembered.get(calendar);
  if (!pairs) remembered.set(calendar, (pairs = new Map()));
  const key = datePairKey(from, to, zone);
  const known = pairs.get(key);
  if (known !== undefined) return known;
  let count: number | null;
  try {
    count = calendar.workingDaysTaken(new Date(from), new Date(to), zone);
  } catch (error) {
    if (!(error instanceof CalendarDataMissingError)) throw error;
    count = null;
  }
  if (pairs.size > 200_000) pairs.clear();
  pairs.set(key, count);
  return count;
}

/** One row per complaint, as it stands now: what the period, topic and routing tables group by. */
export interface ComplaintFacts {
  readonly complaintId: string;
  readonly doorId: string;
  readonly instansiId: string | null;
  readonly rowNodeId: string;
  readonly kind: string;
  readonly category: string | null;
  readonly status: string;
  readonly receivedAt: string;
  readonly receivedOn: string;
  readonly receivedMonth: string;
  readonly reporterRef: string | null;
  /** Working days from receipt to the first disposition to a unit. */
  readonly disposedWorkingDays: number | null;
  /** Working days from the unit holding it receiving it to its first follow-up. */
  readonly followedUpWorkingDays: number | null;
  /** Working days from the unit holding it receiving it to completion. */
  readonly completedWorkingDays: number | null;
  /** Milliseconds from receipt to completion. */
  readonly handlingMs: number | null;
  readonly hops: number;
  readonly returns: number;
  readonly breachesVerification: number;
  readonly breachesFirstFollowUp: number;
  readonly breachesCompletion: number;
}

export function complaintFactsOf(complaint: Complaint, tree: OrganisationTree, calendar: Calendar): ComplaintFacts {
  const zone = (clock: Parameters<typeof clockZoneOf>[1]) => clockZoneOf(complaint, clock, tree);
  const receivedOn = receivedOnOf(complaint, tree);
  const firstDisposition = complaint.hops.find((hop) => hop.type === 'disposition' && tree.has(hop.to) && isUnitKind(tree.node(hop.to).kind));
  const breaches = (stage: string): number => complaint.slaRecords.filter((record) => record.record === 'breach' && record.stage === stage).length;
  return {
    complaintId: complaint.complaintId,
    doorId: complaint.addressedTo.id,
    instansiId: complaint.instansiId,
    rowNodeId: rowNodeOf(complaint),
    kind: complaint.kind,
    category: complaint.category,
    status: complaint.status,
    receivedAt: complaint.receivedAt,
    receivedOn,
    receivedMonth: monthOf(receivedOn),
    reporterRef: complaint.reporterRef,
    // receipt to the first unit is the door desk's work: its clock is verification's
    disposedWorkingDays: workingDays(calendar, complaint.receivedAt, firstDisposition?.at ?? null, zone('verification')),
    followedUpWorkingDays: workingDays(calendar, complaint.assignedAt, complaint.firstFollowUpAt, zone('first_follow_up')),
    completedWorkingDays: workingDays(calendar, complaint.assignedAt, complaint.completedAt, zone('completion')),
    handlingMs: millisBetween(complaint.receivedAt, complaint.completedAt),
    // a succession is the organisation's doing, not routing: it is not counted as a hop
    hops: complaint.hops.filter((hop) => hop.type !== 'succession').length,
    returns: complaint.hops.filter((hop) => hop.type === 'return').length,
    breachesVerification: breaches('verification'),
    breachesFirstFollowUp: breaches('first_follow_up'),
    breachesCompletion: breaches('completion'),
  };
}

export const sameComplaintFacts = (a: ComplaintFacts, b: ComplaintFacts): boolean =>
  (Object.keys(a) as (keyof ComplaintFacts)[]).every((key) => a[key] === b[key]);

/**
 * One row per hand-off. A return (Bukan Wewenang) carries the days the wrong door cost: from the
 * disposition that brought the complaint to the returning node until the next disposition after
 * the return (null while it waits for one).
 */
export interface HopFacts {
  readonly complaintId: string;
  readonly seq: number;
  readonly type: Complaint['hops'][number]['type'];
  readonly fromNodeId: string;
  readonly toNodeId: string;
  readonly at: string;
  readonly receivedOn: string;
  readonly lostMs: number | null;
}

export function hopFactsOf(complaint: Complaint, tree: OrganisationTree): HopFacts[] {
  const receivedOn = receivedOnOf(complaint, tree);
  return complaint.hops.map((hop, seq) => {
    let lostMs: number | null = null;
    if (hop.type === 'return') {
      const arrival = complaint.hops.slice(0, seq).findLast((earlier) => earlier.type === 'disposition' && earlier.to === hop.from);
      const redisposal = complaint.hops.slice(seq + 1).find((later) => later.type === 'disposition');
      lostMs = millisBetween(arrival?.at ?? null, redisposal?.at ?? null);
    }
    return { complaintId: complaint.complaintId, seq, type: hop.type, fromNodeId: hop.from, toNodeId: hop.to, at: hop.at, receivedOn, lostMs };
  });
}

/** An administrator's verification decision, as the admin performance table counts it. */
export interface AdminAction {
  readonly complaintId: string;
  readonly accountId: string;
  readonly nodeId: string;
  readonly action: 'verified' | 'answered' | 'postponed' | 'archived';
  readonly at: string;
  readonly receivedOn: string;
  /** Working days from receipt to this decision. */
  readonly workingDays: number | null;
  readonly elapsedMs: number;
}

const ADMIN_ACTIONS: Partial<Record<ComplaintEvent['type'], AdminAction['action']>> = {
  ComplaintVerified: 'verified',
  AspirationAnswered: 'answered',
  MissingDataRequested: 'postponed',
  ComplaintArchived: 'archived',
};

/** The admin action an event records, if it is one (the scheduler's auto-archive is not an admin's). */
export function adminActionOf(event: ComplaintEvent, complaint: Complaint, tree: OrganisationTree, calendar: Calendar): AdminAction | null {
  const action = ADMIN_ACTIONS[event.type];
  const by = event.data.by;
  if (!action || (by.role !== 'admin_nasional' && by.role !== 'admin_instansi')) return null;
  return {
    complaintId: complaint.complaintId,
    accountId: by.id,
    nodeId: by.nodeId,
    action,
    at: event.data.at,
    receivedOn: receivedOnOf(complaint, tree),
    workingDays: workingDays(calendar, complaint.receivedAt, event.data.at, clockZoneOf(complaint, 'verification', tree)),
    elapsedMs: Date.parse(event.data.at) - Date.parse(complaint.receivedAt),
  };
}

/** An SLA breach the scheduler recorded, against the node responsible for the stage. */
export interface BreachFacts {
  readonly complaintId: string;
  readonly stage: string;
  readonly clockStartedAt: string;
  readonly nodeId: string;
  readonly dueAt: string;
  readonly workingDaysLate: number;
  readonly receivedOn: string;
}

export function breachOf(event: ComplaintEvent, complaint: Complaint, tree: OrganisationTree): BreachFacts | null {
  if (event.type !== 'SlaBreachRecorded') return null;
  const { stage, clockStartedAt, nodeId, dueAt, workingDaysLate } = event.data;
  return { complaintId: complaint.complaintId, stage, clockStartedAt, nodeId, dueAt, workingDaysLate, receivedOn: receivedOnOf(complaint, tree) };
}
