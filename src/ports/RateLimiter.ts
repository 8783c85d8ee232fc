export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts uses of a key per one-minute window, shared by every process that serves the API. */
export interface RateLimiter {
  /** Counts one use of `key` in the minute of `now`; refused, counting nothing, past `perMinute`. */
  take(key: string, perMinute: number, now: number): Promise<RateDecision>;
}
