// Remembers recent successful password verifications in process memory. Keys are user id and
// stored hash; the value is an HMAC of the password under a random per-process key, so the
// password itself is never kept, and a stolen heap dump yields no offline-guessable digest.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VerifiedPasswordCache } from '../../ports/VerifiedPasswordCache.js';

export interface VerifiedPasswordCacheLimits {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

export const DEFAULT_CACHE_LIMITS: VerifiedPasswordCacheLimits = Object.freeze({ maxEntries: 10_000, ttlMs: 15 * 60_000 });

interface Entry {
  readonly digest: Buffer;
  readonly expiresAt: number;
}

export class InProcessVerifiedPasswordCache implements VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  /** Insertion order is recency order: the first entry is the least recently remembered. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: VerifiedPasswordCacheLimits = DEFAULT_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  has(userId: string, storedHash: string, password: string, now: number): boolean {
    const slot = slotOf(userId, storedHash);
    const entry = this.entries.get(slot);
    if (!entry) return false;
    if (entry.expiresAt <= now) {
      this.entries.delete(slot);
      return false;
    }
    return timingSafeEqual(entry.digest, this.digest(password));
  }

  remember(userId: string, storedHash: string, password: string, now: number): void {
    const slot = slotOf(userId, storedHash);
    this.entries.delete(slot);
    this.entries.set(slot, { digest: this.digest(password), expiresAt: now + this.limits.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.key).update(password.normalize('NFKC')).digest();
  }
}

function slotOf(userId: string, storedHash: string): string {
  return `${userId}\u0000${storedHash}`;
}
