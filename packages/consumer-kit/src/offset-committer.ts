/** One partition's next offset to read, as Kafka's offset commit takes it. */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

/**
 * The offsets a consumer has applied and not yet committed, sent to the broker at most once per
 * `everyMs` for all of its partitions in one request. A read side stores its position with every
 * update, so an offset committed late only means a crash redelivers a little more, which it skips;
 * committing after every fetched batch cost the broker and each consumer a round trip per event
 * whenever events trickled in one at a time (a steady rate spreads them over the partitions).
 * Commits are sent one at a time, in order: a later one never lands before an earlier one.
 */
export class OffsetCommitter {
  private readonly pending = new Map<number, string>();
  private committedAt = Date.now();
  private sending: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (offsets: readonly PartitionOffset[]) => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** `offset` is the next to read on `partition`: everything before it is applied. */
  note(partition: number, offset: string): void {
    this.pending.set(partition, offset);
  }

  /** The partition went to another member: its offsets are that member's to commit now. */
  forget(partition: number): void {
    this.pending.delete(partition);
  }

  /** Commits what is pending when the last commit is `everyMs` old. */
  async commitIfDue(): Promise<void> {
    if (Date.now() - this.committedAt >= this.everyMs) await this.flush();
  }

  /** Commits what is pending now. */
  flush(): Promise<void> {
    const sent = this.sending.then(async () => {
      if (this.pending.size === 0) return;
      const offsets = [...this.pending].map(([partition, offset]) => ({ partition, offset }));
      this.pending.clear();
      this.committedAt = Date.now();
      // a commit that fails is not retried: the next one carries later offsets, and until then a
      // restart redelivers what it covered, which the read side skips
      await this.send(offsets);
    });
    this.sending = sent.catch(() => undefined);
    return sent;
  }

  /** Commits what is pending every `everyMs` while nothing arrives to do it. */
  start(): void {
    this.timer ??= setInterval(() => {
      this.commitIfDue().catch(this.onError);
    }, this.everyMs);
    this.timer.unref();
  }

  /** Stops the timer and commits what is pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
