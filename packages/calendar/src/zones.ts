import { CalendarError } from './errors';

// Indonesia has three time zones and no daylight saving time. An instansi works in exactly one of
// them, so the API takes only these IANA names: a typo like 'Asia/Jakarta ' or 'UTC' is a bug to
// catch, not a zone to honour.

export const WIB = 'Asia/Jakarta';
export const WITA = 'Asia/Makassar';
export const WIT = 'Asia/Jayapura';

export const INDONESIAN_ZONES = [WIB, WITA, WIT] as const;
export type IndonesianZone = (typeof INDONESIAN_ZONES)[number];

export type ZoneLabel = 'WIB' | 'WITA' | 'WIT';

/** The label officials write after a time ("14.00 WITA"). */
export const ZONE_LABELS: Readonly<Record<IndonesianZone, ZoneLabel>> = {
  [WIB]: 'WIB',
  [WITA]: 'WITA',
  [WIT]: 'WIT',
};

export const ZONE_BY_LABEL: Readonly<Record<ZoneLabel, IndonesianZone>> = { WIB, WITA, WIT };

export const isIndonesianZone = (value: unknown): value is IndonesianZone =>
  typeof value === 'string' && (INDONESIAN_ZONES as readonly string[]).includes(value);

export function assertIndonesianZone(value: unknown): asserts value is IndonesianZone {
  if (!isIndonesianZone(value)) {
    throw new CalendarError('CALENDAR_INVALID_INPUT', `Not an Indonesian time zone: ${String(value)} (use ${INDONESIAN_ZONES.join(', ')})`);
  }
}
