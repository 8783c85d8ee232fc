import { Limits } from '../../core/Limits.js';
import type { AttemptPermit, PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';

interface Window {
  readonly start: number;
  count: number;
}

/** Per process; checks and counts synchronously, so concurrent attempts cannot overtake the limit. */
export class InMemoryPasswordAttemptLimiter implements PasswordAttemptLimiter {
  /** Insertion order is window start order, so expired windows are found at the front. */
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxFailures: number = Limits.passwordFailuresAllowed,
    private readonly windowMs: number = Limits.passwordAttemptWindowMs,
  ) {}

  async acquire(userId: string, now: number): Promise<AttemptPermit> {
    this.forgetExpired(now);
    let window = this.windows.get(userId);
    if (!window) {
      window = { start: now, count: 0 };
      this.windows.set(userId, window);
    }
    if (window.count >= this.maxFailures) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) };
    }
    window.count++;
    return { allowed: true, window: window.start };
  }

  async refund(userId: string, windowStart: number): Promise<void> {
    const window = this.windows.get(userId);
    if (window && window.start === windowStart && window.count > 0) window.count--;
  }

  private forgetExpired(now: number): void {
    for (const [userId, window] of this.windows) {
      if (window.start + this.windowMs > now) break;
      this.windows.delete(userId);
    }
  }
}
