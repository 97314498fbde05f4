import { ZONE_OFFSET_MS } from '@lapor/calendar';
import { receivedZoneOf, type Complaint, type IndonesianTimeZone, type OrganisationTree } from '@lapor/domain';

// Periods are calendar dates as an official reads them: "1 Januari – 31 Desember 2024" in the
// zone of the door the complaint came in by (@lapor/domain `receivedZoneOf`). Indonesia keeps no
// daylight saving time, so a zone is a fixed offset.

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export const localDateOf = (instant: string, zone: IndonesianTimeZone): string =>
  new Date(Date.parse(instant) + ZONE_OFFSET_MS[zone]).toISOString().slice(0, 10);

/** The local date a complaint was received on, in its door's zone (`receivedZoneOf` says why): what a report's period filters by. */
export const receivedOnOf = (complaint: Pick<Complaint, 'addressedTo' | 'receivedAt'>, tree: OrganisationTree): string =>
  localDateOf(complaint.receivedAt, receivedZoneOf(complaint, tree));

/** A period of receipt: local dates, both ends included ("s.d."). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export const isWithinPeriod = (date: string, period: Period): boolean => date >= period.from && date <= period.to;

/** The first day of a date's month. */
export const monthOf = (date: string): string => `${date.slice(0, 7)}-01`;

/** The day after a local date. */
export const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The first day of the month after a date's month. */
export const nextMonth = (date: string): string => {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
};

/** Days in a period, both ends counted. */
export const daysIn = (period: Period): number => Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000) + 1;
