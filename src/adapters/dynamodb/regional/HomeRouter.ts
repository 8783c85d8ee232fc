// Which replica a call goes to with several regions (docs/multi-region.md §3, D3 and D9): the
// data's home while it answers, else (its breaker open) the local replica for what may fall back
// (messaging, sign-in, blocks, counters) and 503 for what may not (group changes: a split group
// cannot be repaired). One DynamoDbTable per region, made when first needed.
import type { DynamoDbSettings } from '../dynamoDbSettings.js';
import { isUnavailable, unavailable, type DynamoDbTable } from '../DynamoDbTable.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerSettings } from './CircuitBreaker.js';
import type { HomeRegions } from './HomeRegions.js';

/** What a call does while its home's breaker is open. */
export type WhenHomeIsOut = 'fallback' | 'refuse';

/** Told of each call that went to the local replica instead of its home. */
export type FallbackListener = (home: string, operation: string) => void;

export class HomeRouter {
  private readonly tables = new Map<string, DynamoDbTable>();
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    readonly homes: HomeRegions,
    /** The table of a region (same name and limits everywhere; its own endpoint locally). */
    private readonly tableOf: (region: string) => DynamoDbTable,
    private readonly now: () => number = Date.now,
    private readonly onFallback: FallbackListener = () => undefined,
    private readonly breakerSettings: BreakerSettings = DEFAULT_BREAKER,
  ) {}

  /** This region's replica. */
  get local(): DynamoDbTable {
    return this.table(this.homes.local);
  }

  table(region: string): DynamoDbTable {
    let table = this.tables.get(region);
    if (!table) {
      table = this.tableOf(region);
      this.tables.set(region, table);
    }
    return table;
  }

  /**
   * Runs `work` on `home`'s replica, or on the local one while `home`'s breaker is open (or 503,
   * `refuse`). A home that fails transiently counts towards its breaker and fails this call: a
   * write whose outcome is unknown is not made a second time elsewhere.
   */
  async atHome<T>(home: string, operation: string, whenOut: WhenHomeIsOut, work: (table: DynamoDbTable) => Promise<T>): Promise<T> {
    if (home === this.homes.local) return work(this.local);
    const breaker = this.breakerOf(home);
    const now = this.now();
    if (!breaker.allows(now)) {
      if (whenOut === 'refuse') throw unavailable(breaker.retryAfterSeconds(now));
      this.onFallback(home, operation);
      return work(this.local);
    }
    try {
      const result = await work(this.table(home));
      breaker.succeeded();
      return result;
    } catch (error) {
      if (isUnavailable(error)) breaker.failed(this.now());
      else breaker.succeeded(); // it answered
      throw error;
    }
  }

  private breakerOf(region: string): CircuitBreaker {
    let breaker = this.breakers.get(region);
    if (!breaker) {
      breaker = new CircuitBreaker(this.breakerSettings);
      this.breakers.set(region, breaker);
    }
    return breaker;
  }
}

/** Each region's table settings: the same table, signed for that region, at its endpoint locally. */
export function regionalSettings(base: DynamoDbSettings, region: string, endpoints: Readonly<Record<string, string>> | undefined): DynamoDbSettings {
  const endpoint = endpoints?.[region];
  return endpoint
    ? { ...base, region, endpoint, origin: region }
    : { tableName: base.tableName, region, origin: region, ...(base.callLimits ? { callLimits: base.callLimits } : {}) };
}
