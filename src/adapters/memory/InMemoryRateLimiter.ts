import type { RateDecision, RateLimiter } from '../../ports/RateLimiter.js';

const WINDOW_MS = 60_000;
/** Keys are client addresses: bounded, oldest windows dropped first (they have ended anyway). */
const MAX_KEYS = 100_000;

/** Fixed one-minute windows per key, in process memory. */
export class InMemoryRateLimiter implements RateLimiter {
  /** key -> [window start, count]; insertion order is window order. */
  private readonly windows = new Map<string, [number, number]>();

  async take(key: string, perMinute: number, now: number): Promise<RateDecision> {
    const start = now - (now % WINDOW_MS);
    const current = this.windows.get(key);
    const count = current && current[0] === start ? current[1] : 0;
    if (count >= perMinute) return { allowed: false, retryAfterSeconds: Math.ceil((start + WINDOW_MS - now) / 1000) };
    this.windows.delete(key);
    this.windows.set(key, [start, count + 1]);
    for (const [oldKey, [oldStart]] of this.windows) {
      if (oldStart >= start && this.windows.size <= MAX_KEYS) break;
      this.windows.delete(oldKey);
    }
    return { allowed: true };
  }
}
