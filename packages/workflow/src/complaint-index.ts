import { complaintDecider, complaintIdFromStream, type Complaint, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import type { EventStore, GlobalLogEvent, LogPosition, Subscription } from '@lapor/event-store';
import { LOG_START } from '@lapor/event-store';
import { fromStoredEvent } from './stored-events';

/** One complaint as lists show it: no personal data, nothing a list does not filter or show. */
export interface ComplaintSummary {
  readonly complaintId: string;
  readonly trackingId: string;
  readonly title: string;
  readonly kind: Complaint['kind'];
  readonly channel: Complaint['channel'];
  readonly status: Complaint['status'];
  readonly anonymous: boolean;
  readonly confidential: boolean;
  readonly holderId: string;
  readonly instansiId: string | null;
  readonly assignedUnitId: string | null;
  readonly tembusan: readonly string[];
  /** Every node that has held it, for "who may read it". */
  readonly handledBy: readonly string[];
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly version: bigint;
}

/**
 * The in-process read model behind staff inboxes: every complaint's state, folded from the global
 * log by a subscription. It is eventually consistent (a moment behind a write); the statistics
 * service builds the durable read tables.
 */
export class ComplaintIndex {
  private readonly states = new Map<string, { state: ComplaintState; title: string; version: bigint; updatedAt: string; handledBy: Set<string> }>();
  private position: LogPosition = LOG_START;
  private subscription: Subscription | undefined;
  private readonly waiters: Array<{ complaintId: string; version: bigint; resolve: () => void }> = [];

  start(store: EventStore, onError: (error: unknown) => void): void {
    this.subscription = store.subscribeToGlobalLog({
      from: this.position,
      pollIntervalMs: 250,
      // inboxes may trail by a moment; a busy store then serves one read per interval, not one per append
      minReadIntervalMs: 25,
      onEvent: (event) => this.apply(event),
      onError,
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  /** Resolves true once the index holds `version` of the complaint (read-your-writes for a client that just wrote). */
  caughtUpTo(complaintId: string, version: bigint, timeoutMs = 5_000): Promise<boolean> {
    if ((this.states.get(complaintId)?.version ?? -1n) >= version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { complaintId, version, resolve: () => resolve(true) };
      this.waiters.push(waiter);
      setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  summaries(): ComplaintSummary[] {
    const result: ComplaintSummary[] = [];
    for (const [complaintId, entry] of this.states) {
      const state = entry.state;
      if (!state.submitted) continue;
      result.push({
        complaintId,
        trackingId: state.trackingId,
        title: entry.title,
        kind: state.kind,
        channel: state.channel,
        status: state.status,
        anonymous: state.anonymous,
        confidential: state.confidential,
        holderId: state.holder.id,
        instansiId: state.instansiId,
        assignedUnitId: state.assignedUnit?.id ?? null,
        tembusan: state.tembusan,
        handledBy: [...entry.handledBy],
        receivedAt: state.receivedAt,
        updatedAt: entry.updatedAt,
        version: entry.version,
      });
    }
    return result;
  }

  private apply(recorded: GlobalLogEvent): void {
    this.position = recorded.logPosition;
    const complaintId = complaintIdFromStream(recorded.streamId);
    if (complaintId !== null) {
      const event: ComplaintEvent = fromStoredEvent(recorded);
      const entry = this.states.get(complaintId) ?? {
        state: complaintDecider.initialState(),
        title: '',
        version: -1n,
        updatedAt: '',
        handledBy: new Set<string>(),
      };
      entry.state = complaintDecider.evolve(entry.state, event);
      entry.version = recorded.streamVersion;
      entry.updatedAt = event.data.at;
      if (event.type === 'ComplaintSubmitted') entry.title = event.data.title;
      if (entry.state.submitted) entry.handledBy.add(entry.state.holder.id);
      this.states.set(complaintId, entry);
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if ((this.states.get(waiter.complaintId)?.version ?? -1n) >= waiter.version) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
