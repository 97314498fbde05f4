import { DEFAULT_SLA_CONFIGURATION, SlaConfiguration } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';

// The SLA policy the timers are planned with, and how it changes while the scheduler runs: a
// stream in the event store, so every change is on record (who, when, what) and every instance,
// on start or on refresh, arrives at the same policy. (The calendar is `CalendarSource`, in
// @lapor/calendar, because the statistics count with it too.)

export const POLICY_STREAM = 'scheduler-policy';

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
