/**
 * Where a poll's cursor may treat the inbox as settled: positions at or before `settledAt(now)`
 * can no longer gain a message. In one region, 5 s before now (the late-write window); with
 * several regions, 5 s + the replication lag bound before now (docs/multi-region.md §5.1).
 */
export interface SettlePolicy {
  settledAt(now: number): number;
  /** How far behind now the settled point is: what a message may be held back at most. */
  readonly windowMs: number;
}
