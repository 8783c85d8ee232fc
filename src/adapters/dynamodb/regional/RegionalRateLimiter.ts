// Per-address counters with several regions: each key's counter lives in one region chosen by a
// hash of the key (D11), so a per-address limit is one limit however requests are routed.
import type { RateDecision, RateLimiter } from '../../../ports/RateLimiter.js';
import { DynamoDbRateLimiter } from '../DynamoDbRateLimiter.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalRateLimiter implements RateLimiter {
  private readonly limiters = new PerTable((table) => new DynamoDbRateLimiter(table));

  constructor(private readonly router: HomeRouter) {}

  take(key: string, perMinute: number, now: number): Promise<RateDecision> {
    return this.router.atHome(this.router.homes.ofAddress(key), 'rate_limit', 'fallback', (table) =>
      this.limiters.of(table).take(key, perMinute, now),
    );
  }
}
