import { ZONE_BY_LABEL, type ZoneLabel } from '@lapor/calendar';
import { DateTime } from 'luxon';

// How dates and numbers read to an Indonesian official. Month names come from this table rather
// than Intl, so the text does not depend on which ICU data the Node.js build carries.

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;

/** A calendar date 'YYYY-MM-DD'; anything else (or 2024-02-30) throws. */
export function parseIsoDate(value: string): DateTime {
  const date = ISO_DATE.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : DateTime.invalid('not YYYY-MM-DD');
  if (!date.isValid) throw new RangeError(`Not an ISO date (YYYY-MM-DD): '${value}'`);
  return date;
}

/** The period's two dates, checked to be in order. */
export function parsePeriod(period: { readonly from: string; readonly to: string }): { from: DateTime; to: DateTime } {
  const from = parseIsoDate(period.from);
  const to = parseIsoDate(period.to);
  if (from > to) throw new RangeError(`The period ends before it starts: ${period.from} to ${period.to}`);
  return { from, to };
}

/**
 * A moment. A string without an offset is read as UTC, never as the server's own zone, so the same
 * input gives the same export on any machine.
 */
export function parseInstant(iso: string): DateTime {
  const instant = DateTime.fromISO(iso, { zone: 'utc' });
  if (!instant.isValid) throw new RangeError(`Not an ISO date-time: '${iso}'`);
  return instant;
}

/** A moment on the wall clocks of the table's zone. */
export const localTime = (iso: string, zone: ZoneLabel): DateTime => parseInstant(iso).setZone(ZONE_BY_LABEL[zone]);

/** '2024-12-31' → '31 Desember 2024', the day padded as in the yearly reports. */
export function indonesianDate(date: DateTime): string {
  return `${date.toFormat('dd')} ${MONTHS[date.month - 1]} ${date.year}`;
}

/** '2024-01' → 'Januari 2024'. */
export function indonesianMonth(month: string): string {
  const start = ISO_MONTH.test(month) ? DateTime.fromISO(`${month}-01`, { zone: 'utc' }) : DateTime.invalid('not YYYY-MM');
  if (!start.isValid) throw new RangeError(`Not an ISO month (YYYY-MM): '${month}'`);
  return `${MONTHS[start.month - 1]} ${start.year}`;
}

/** 'Periode: 01 Januari 2024 s.d. 31 Desember 2024'. */
export function periodLine(period: { readonly from: string; readonly to: string }): string {
  const { from, to } = parsePeriod(period);
  return `Periode: ${indonesianDate(from)} s.d. ${indonesianDate(to)}`;
}

/** 'Keadaan per: 31 Desember 2024 23.59 WITA': Indonesian usage puts a dot between hour and minute. */
export function asOfLine(asOf: string, zone: ZoneLabel): string {
  const local = localTime(asOf, zone);
  return `Keadaan per: ${indonesianDate(local)} ${local.toFormat('HH.mm')} ${zone}`;
}

/** 'YYYY-MM-DD HH:mm:ss' in the zone, to the second as the dashboard prints it (seeds: "2025-02-04 14:26:48"); sortable as text. */
export const csvDateTime = (iso: string, zone: ZoneLabel): string => localTime(iso, zone).toFormat('yyyy-LL-dd HH:mm:ss');

/**
 * The moment as a Date whose UTC fields are the wall clock in the zone. Excel dates carry no zone and
 * exceljs writes a Date by its UTC fields, so this is what makes the cell show local time.
 */
export const excelWallClock = (iso: string, zone: ZoneLabel): Date => localTime(iso, zone).startOf('second').setZone('utc', { keepLocalTime: true }).toJSDate();
