// Numbers and dates as Indonesian officials read them (id-ID), in the instansi's time zone with its
// abbreviation shown: Intl's own short names for these zones are "GMT+8" and the like, not WITA.
export type Zone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';

const ABBREVIATION: Record<Zone, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export const zoneName = (zone: Zone): string => ABBREVIATION[zone];

const integer = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatCount = (value: number): string => integer.format(value);
export const formatDecimal = (value: number): string => decimal.format(value);

export function formatDateTime(iso: string | null | undefined, zone: Zone): string {
  if (!iso) return '–';
  const text = new Intl.DateTimeFormat('id-ID', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  return `${text} ${zoneName(zone)}`;
}

export function formatDate(day: string): string {
  return new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${day}T00:00:00Z`));
}

/** "Desember 2026" for 2026-12. */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** The local date and wall-clock time now in a zone, for the pickers' defaults. */
export function localNow(zone: Zone): { day: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '00';
  return { day: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}

const OFFSET: Record<Zone, string> = { 'Asia/Jakarta': '+07:00', 'Asia/Makassar': '+08:00', 'Asia/Jayapura': '+09:00' };

/** A local date and time in the zone as an ISO instant (these zones keep no daylight saving). */
export const zonedInstant = (day: string, time: string, zone: Zone): string => new Date(`${day}T${time}:00${OFFSET[zone]}`).toISOString();
