// Bearer tokens that verified recently, so a client that polls with one token does not pay for
// jose and an HMAC on every request. Only a token that verified is ever remembered, and only until
// its own expiry, so a hit answers exactly what verifying it again would. The key is the whole
// token: any change to it (a tampered claim, another signature) is another key. Unlike the
// password cache it keeps no digest: whoever can read this heap can read the signing secret in it
// and make tokens, so hashing each token on every request would protect nothing.

import type { VerifiedToken } from '../../ports/TokenSigner.js';

export interface VerifiedTokenCacheLimits {
  readonly maxEntries: number;
}

/** As many as the verified-password cache: one entry per active client of this instance. */
export const DEFAULT_TOKEN_CACHE_LIMITS: VerifiedTokenCacheLimits = Object.freeze({ maxEntries: 10_000 });

export class VerifiedTokenCache {
  /** Insertion order is age: the first entry is the one remembered longest ago. */
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly limits: VerifiedTokenCacheLimits = DEFAULT_TOKEN_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  /** What a token verified earlier said, while it has not expired at `now`. */
  lookUp(token: string, now: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    // jose refuses a token from its `exp` second on; so does this.
    if (now >= entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  /** Call only with a token that just verified, and its `exp` in epoch milliseconds. */
  remember(token: string, userId: string, expiresAt: number): void {
    this.entries.delete(token);
    this.entries.set(token, { userId, expiresAt });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
