import type { SettlePolicy } from '../ports/SettlePolicy.js';
import { Limits } from './Limits.js';

/** A settle point a fixed window behind now: the late-write window, plus any further lag allowed for. */
export class SettleWindow implements SettlePolicy {
  constructor(readonly windowMs: number = Limits.lateWriteWindowMs) {}

  settledAt(now: number): number {
    return now - this.windowMs;
  }
}

/** One region: a write is visible within the late-write window of its position, or never. */
export const ONE_REGION_SETTLE = new SettleWindow();
