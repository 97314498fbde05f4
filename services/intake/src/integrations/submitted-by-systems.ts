import { complaintDecider, complaintIdFromStream, type Complaint, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import { LOG_START, type EventStore, type GlobalLogEvent, type LogPosition } from '@lapor/event-store';
import { integrationScope } from '@lapor/submission';
import { fromStoredEvent } from '@lapor/workflow';

const PAGE = 1_000;

/** A complaint an integrating system sent, as its own list shows it: no reporter, nothing written. */
export interface SystemComplaint {
  readonly complaintId: string;
  readonly trackingId: string;
  readonly externalReference: string | null;
  readonly kind: Complaint['kind'];
  readonly status: Complaint['status'];
  readonly receivedAt: string;
  readonly lastChange: { readonly at: string; readonly type: ComplaintEvent['type'] };
  readonly version: bigint;
}

interface Entry {
  scope: string;
  externalReference: string | null;
  state: ComplaintState;
  lastChange: { at: string; type: ComplaintEvent['type'] };
  version: bigint;
}

/**
 * The complaints each integrating system sent, folded from the global log. Pulled, not pushed: a
 * list request first reads the log from where the last one stopped to its end, so a system sees
 * what it has just sent (unless a write older than its own is still committing), and a service
 * that never serves the list never reads the log. Only systems' complaints are kept. It lives in
 * the process, like the staff inbox's index; the log is its source and can rebuild it any time.
 */
export class SystemComplaints {
  private position: LogPosition = LOG_START;
  private readonly entries = new Map<string, Entry>();
  private previous: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  /**
   * Reads the log to its end. Callers that arrive while a read is queued share it; a caller that
   * arrives while one runs gets the next, which starts after its call (so it sees its own writes).
   */
  catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const pass = this.previous.then(() => {
      this.queued = undefined;
      return this.readToEnd();
    });
    this.queued = pass;
    this.previous = pass.catch(() => undefined);
    return pass;
  }

  /** The scope's complaints (see integrationScope), in no particular order. */
  of(scope: string): SystemComplaint[] {
    const found: SystemComplaint[] = [];
    for (const [complaintId, entry] of this.entries) {
      if (entry.scope !== scope || !entry.state.submitted) continue;
      const state = entry.state;
      found.push({
        complaintId,
        trackingId: state.trackingId,
        externalReference: entry.externalReference,
        kind: state.kind,
        status: state.status,
        receivedAt: state.receivedAt,
        lastChange: entry.lastChange,
        version: entry.version,
      });
    }
    return found;
  }

  private async readToEnd(): Promise<void> {
    for (;;) {
      const page = await this.store.readGlobalLog(this.position, PAGE);
      for (const event of page.events) this.apply(event);
      this.position = page.next;
      if (page.events.length < PAGE) return;
    }
  }

  private apply(recorded: GlobalLogEvent): void {
    const complaintId = complaintIdFromStream(recorded.streamId);
    if (complaintId === null) return;
    let entry = this.entries.get(complaintId);
    // A complaint's first event says who sent it; the others matter only for systems' complaints.
    if (!entry && recorded.type !== 'ComplaintSubmitted') return;
    const event = fromStoredEvent(recorded);
    if (!entry) {
      if (event.type !== 'ComplaintSubmitted') return;
      const scope = integrationScope(event.data.by);
      if (scope === null) return;
      entry = {
        scope,
        externalReference: event.data.externalReference,
        state: complaintDecider.initialState(),
        lastChange: { at: '', type: event.type },
        version: -1n,
      };
      this.entries.set(complaintId, entry);
    }
    entry.state = complaintDecider.evolve(entry.state, event);
    entry.lastChange = { at: event.data.at, type: event.type };
    entry.version = recorded.streamVersion;
  }
}
