import type { EventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import type { Calendar } from './calendar';
import { CALENDAR_DIR_VARIABLE, loadCalendar } from './load';

// The calendar every reader counts with: the bundled decree years, the years in the directory
// LAPOR_CALENDAR_DIR names (read at start), and the years an administrator recorded at run time
// (a new decree needs no release, nor a file on every machine). Recorded years are a stream in the event
// store, so every process — the scheduler, the statistics, a rebuild — arrives at the same one.

export const CALENDAR_STREAM = 'calendar-years';

/** How often a running process looks for a year another process recorded. */
const REFRESH_EVERY_MS = 10_000;

type CalendarLog = Pick<EventStore, 'readStream' | 'appendToStream'>;

/** One source per store in a process: a year recorded through one reader is seen by all at once. */
const shared = new WeakMap<CalendarLog, Promise<CalendarSource>>();

/** The bundled years plus the recorded ones, kept current while the process runs. */
export class CalendarSource {
  private readonly listeners: ((calendar: Calendar) => void)[] = [];
  private refreshing: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: CalendarLog,
    private current: Calendar,
    private seen: bigint,
  ) {}

  /** A source of its own, from `base` (bundled years and LAPOR_CALENDAR_DIR's unless given) and the recorded years. */
  static async open(store: CalendarLog, base: Calendar = loadCalendar({ extraDir: process.env[CALENDAR_DIR_VARIABLE] || undefined })): Promise<CalendarSource> {
    const source = new CalendarSource(store, base, -1n);
    await source.refresh();
    return source;
  }

  /** The process's source for this store: what the scheduler and the statistics both count with. */
  static for(store: CalendarLog): Promise<CalendarSource> {
    let source = shared.get(store);
    if (!source) {
      source = CalendarSource.open(store);
      shared.set(store, source);
      source.catch(() => shared.delete(store)); // a failed open is tried again by the next reader
    }
    return source;
  }

  get(): Calendar {
    return this.current;
  }

  /** Told each time the calendar gains a year (timers and figures waiting for it are counted then). */
  onChange(listener: (calendar: Calendar) => void): void {
    this.listeners.push(listener);
  }

  async refresh(): Promise<Calendar> {
    const added = await this.store.readStream(CALENDAR_STREAM, { fromVersion: this.seen + 1n });
    for (const event of added) {
      this.current = this.current.withYear((event.data as { file: unknown }).file, `${CALENDAR_STREAM}#${event.streamVersion}`);
      this.seen = event.streamVersion;
    }
    if (added.length > 0) for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  /** Refreshes every little while until `stop()`: another process may record a year. */
  follow(onError: (error: unknown) => void, everyMs = REFRESH_EVERY_MS): void {
    if (this.refreshing) return;
    this.refreshing = setInterval(() => void this.refresh().catch(onError), everyMs);
    this.refreshing.unref();
  }

  stop(): void {
    clearInterval(this.refreshing);
    this.refreshing = undefined;
  }

  /**
   * Adds a year file (validated by the calendar; a published year cannot be rewritten). Deadlines
   * set before keep their dates: they were stored with the calendar version that set them.
   */
  async addYear(file: unknown, by: string, at: string): Promise<Calendar> {
    this.current.withYear(file, 'new year file'); // refuses a bad or conflicting file before it is recorded
    await this.store.appendToStream(CALENDAR_STREAM, [{ id: randomUUID(), type: 'HolidayYearAdded', data: { file, by, at } }]);
    return this.refresh();
  }
}
