import type { Calendar } from '@lapor/calendar';
import type { IndonesianTimeZone } from '@lapor/domain';

// When staff act: on working days of their zone (the bundled calendar's holidays and cuti bersama),
// in office hours. The calendar is asked once per date and zone up front; a million complaints then
// schedule their steps by table lookups rather than a date library call per step.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const OFFSET_MS: Readonly<Record<IndonesianTimeZone, number>> = {
  'Asia/Jakarta': 7 * 3_600_000,
  'Asia/Makassar': 8 * 3_600_000,
  'Asia/Jayapura': 9 * 3_600_000,
};
const ZONES = Object.keys(OFFSET_MS) as IndonesianTimeZone[];

/** Local dates as day numbers since 1970-01-01, so "the next day" is + 1. */
export class WorkingTime {
  private readonly first: number;
  private readonly working = new Map<IndonesianTimeZone, Uint8Array>();

  constructor(calendar: Calendar, from: string, to: string) {
    this.first = Date.parse(`${from}T00:00:00Z`) / DAY_MS;
    const days = Date.parse(`${to}T00:00:00Z`) / DAY_MS - this.first + 1;
    for (const zone of ZONES) {
      const table = new Uint8Array(days);
      for (let index = 0; index < days; index++) {
        table[index] = calendar.isWorkingDay(new Date((this.first + index) * DAY_MS).toISOString().slice(0, 10), zone) ? 1 : 0;
      }
      this.working.set(zone, table);
    }
  }

  /** The local day an instant falls on. */
  dayOf(instant: number, zone: IndonesianTimeZone): number {
    return Math.floor((instant + OFFSET_MS[zone]) / DAY_MS);
  }

  /** The instant of a local day and minute of that day. */
  at(day: number, minuteOfDay: number, zone: IndonesianTimeZone): number {
    return day * DAY_MS + minuteOfDay * MINUTE_MS - OFFSET_MS[zone];
  }

  isWorking(day: number, zone: IndonesianTimeZone): boolean {
    const known = this.working.get(zone)![day - this.first];
    // past the table: Monday to Friday (1970-01-01 was a Thursday)
    return known === undefined ? (day + 4) % 7 < 5 : known === 1;
  }

  /** The nth working day after `day` (n = 0: `day` itself if it is one, else the next). */
  workingDayAfter(day: number, n: number, zone: IndonesianTimeZone): number {
    let found = day;
    if (n === 0) {
      while (!this.isWorking(found, zone)) found++;
      return found;
    }
    for (let left = n; left > 0;) if (this.isWorking(++found, zone)) left--;
    return found;
  }

  /** End (23:59:59.999 local) of the nth working day after the day of `from`: the calendar's `deadline`. */
  deadline(from: number, n: number, zone: IndonesianTimeZone): number {
    return this.at(this.workingDayAfter(this.dayOf(from, zone), n, zone) + 1, 0, zone) - 1;
  }
}
