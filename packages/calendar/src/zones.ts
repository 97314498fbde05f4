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

/** Each zone's offset from UTC, kept since 1964 (tz database): the local date of any later instant is arithmetic. */
export const ZONE_OFFSET_MS: Readonly<Record<IndonesianZone, number>> = { [WIB]: 7 * 3_600_000, [WITA]: 8 * 3_600_000, [WIT]: 9 * 3_600_000 };

/** The offset as ISO 8601 writes it after a time: '+08:00'. */
export const zoneOffsetText = (zone: IndonesianZone): string => `+${String(ZONE_OFFSET_MS[zone] / 3_600_000).padStart(2, '0')}:00`;

export const isIndonesianZone = (value: unknown): value is IndonesianZone =>
  typeof value === 'string' && (INDONESIAN_ZONES as readonly string[]).includes(value);

export function assertIndonesianZone(value: unknown): asserts value is IndonesianZone {
  if (!isIndonesianZone(value)) {
    throw new CalendarError('CALENDAR_INVALID_INPUT', `Not an Indonesian time zone: ${String(value)} (use ${INDONESIAN_ZONES.join(', ')})`);
  }
}
