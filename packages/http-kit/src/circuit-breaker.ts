// A circuit breaker for calls to one other process: after a run of failures it stops calling
// (answering at once instead of waiting out a timeout per request, and letting the other process
// come back without a crowd at its door), then lets one trial call through after a cool-down.
// Pure: the clock is given, so its states are specified without waiting.

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failuresToOpen: number;
  /** How long an open circuit refuses before it lets one trial call through. */
  readonly coolDownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  /** When the circuit opened (or the last trial started): the cool-down counts from here. */
  private since = 0;
  private current: BreakerState = 'closed';

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /**
   * May a call go out now? Closed: yes. Open: no, until the cool-down has passed; then this call
   * is the trial (half-open) and the others wait for its outcome. A trial whose outcome never comes
   * (its caller went away) is replaced by another after a further cool-down.
   */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.now() - this.since < this.options.coolDownMs) return false;
    this.current = 'half-open';
    this.since = this.now();
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.current = 'closed';
  }

  failed(): void {
    this.failures += 1;
    // a failed trial opens again at once: the other process is still down
    if (this.current === 'half-open' || this.failures >= this.options.failuresToOpen) {
      this.current = 'open';
      this.since = this.now();
    }
  }

  /** How long until a call may go out again: 0 unless the circuit is open or a trial is out. */
  retryAfterMs(): number {
    if (this.current === 'closed') return 0;
    return Math.max(0, this.options.coolDownMs - (this.now() - this.since));
  }
}
