import { loadCalendar, type Calendar } from '@lapor/calendar';
import { DEFAULT_SLA_CONFIGURATION, SlaConfiguration } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';

// What the timers are planned with, and how it changes while the scheduler runs. Both are streams
// in the event store, so every change is on record (who, when, what) and every instance, on start
// or on refresh, arrives at the same policy and calendar.

export const POLICY_STREAM = 'scheduler-policy';
export const CALENDAR_STREAM = 'calendar-years';

export interface PolicyVersion {
  /** 0 is the built-in default; each recorded change adds one. */
  readonly version: number;
  readonly configuration: SlaConfiguration;
  readonly changedAt: string | null;
  readonly changedBy: string | null;
}

const DEFAULT_POLICY: PolicyVersion = { version: 0, configuration: DEFAULT_SLA_CONFIGURATION, changedAt: null, changedBy: null };

/** The deadlines and reminder offsets (regulation changes them): new timers use the latest. */
export class PolicySource {
  private current: PolicyVersion = DEFAULT_POLICY;

  private constructor(private readonly store: EventStore) {}

  static async open(store: EventStore): Promise<PolicySource> {
    const source = new PolicySource(store);
    await source.refresh();
    return source;
  }

  get(): PolicyVersion {
    return this.current;
  }

  /** Picks up a change another instance recorded. */
  async refresh(): Promise<PolicyVersion> {
    const [latest] = await this.store.readLatest([POLICY_STREAM]);
    if (latest && Number(latest.streamVersion) + 1 !== this.current.version) {
      const data = latest.data as { configuration: unknown; at: string; by: string };
      this.current = {
        version: Number(latest.streamVersion) + 1,
        configuration: SlaConfiguration.parse(data.configuration),
        changedAt: data.at,
        changedBy: data.by,
      };
    }
    return this.current;
  }

  /** Records a new policy; refused (WrongExpectedVersionError) if someone changed it meanwhile. */
  async change(configuration: SlaConfiguration, by: string, at: string, expectedVersion = this.current.version): Promise<PolicyVersion> {
    await this.store.appendToStream(POLICY_STREAM, [{ id: randomUUID(), type: 'SlaPolicyChanged', data: { configuration, by, at } }], {
      expectedVersion: expectedVersion === 0 ? 'no_stream' : BigInt(expectedVersion - 1),
    });
    return this.refresh();
  }
}

/** The working-day calendar, which can be given a new year's holidays without a restart. */
export class CalendarSource {
  private readonly listeners: ((calendar: Calendar) => void)[] = [];

  private constructor(
    private readonly store: EventStore,
    private current: Calendar,
    private seen: bigint,
  ) {}

  static async open(store: EventStore, base: Calendar = loadCalendar()): Promise<CalendarSource> {
    const source = new CalendarSource(store, base, -1n);
    await source.refresh();
    return source;
  }

  get(): Calendar {
    return this.current;
  }

  /** Told each time the calendar gains a year (timers waiting for it can be planned then). */
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

  /**
   * Adds a year file (validated by the calendar; a published year cannot be rewritten). Timers
   * planned before keep their deadlines: they were stored with the version that set them.
   */
  async addYear(file: unknown, by: string, at: string): Promise<Calendar> {
    this.current.withYear(file, 'new year file'); // refuses a bad or conflicting file before it is recorded
    await this.store.appendToStream(CALENDAR_STREAM, [{ id: randomUUID(), type: 'HolidayYearAdded', data: { file, by, at } }]);
    return this.refresh();
  }
}
