// D9: a home region that does not answer is skipped for a while. Per process and per region:
// after `failures` transient failures in a row, each within `windowMs` of the previous one, the
// breaker opens for `openMs`; then one call is let through, and its outcome closes or re-opens
// it. No operator list of evacuated regions (dropped by the lead): each process decides alone.

export interface BreakerSettings {
  readonly failures: number;
  readonly windowMs: number;
  readonly openMs: number;
}

/** docs/multi-region.md §3: 3 failures within 10 s, open for 30 s. */
export const DEFAULT_BREAKER: BreakerSettings = Object.freeze({ failures: 3, windowMs: 10_000, openMs: 30_000 });

export class CircuitBreaker {
  private failuresInARow = 0;
  private lastFailureAt = -Infinity;
  private openUntil = -Infinity;
  private trialRunning = false;

  constructor(private readonly settings: BreakerSettings = DEFAULT_BREAKER) {}

  /** Whether a call may go to the region now (when open, one trial call after `openMs`). */
  allows(now: number): boolean {
    if (now < this.openUntil) return false;
    if (this.openUntil === -Infinity) return true;
    if (this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  /** Seconds until the next trial, for Retry-After. */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.openUntil - now) / 1000));
  }

  succeeded(): void {
    this.failuresInARow = 0;
    this.openUntil = -Infinity;
    this.trialRunning = false;
  }

  failed(now: number): void {
    if (this.trialRunning) {
      this.trialRunning = false;
      this.openUntil = now + this.settings.openMs;
      return;
    }
    this.failuresInARow = now - this.lastFailureAt <= this.settings.windowMs ? this.failuresInARow + 1 : 1;
    this.lastFailureAt = now;
    if (this.failuresInARow >= this.settings.failures) this.openUntil = now + this.settings.openMs;
  }
}
