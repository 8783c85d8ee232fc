// How the inbox's late-write window (Limits.lateWriteWindowMs, 5 s) is shared out. A cursor treats
// as settled what is stamped 5 s before a poll, so an inbox write must be visible within 5 s of its
// position, or never: a write is issued while its position is fresh, given a bounded time to
// answer, and if it has none by then a fence (inboxWrites.ts) makes sure it can never land.
import { Limits } from '../../core/Limits.js';
import { FENCE_MS, worstCaseMs, type CallLimits } from './createDynamoDbTable.js';

/** Room for the event loop, reading the clock, and a fence's answer on its way back. */
export const MARGIN_MS = 300;
/** A fan-out wave is issued at its position only while the position is this fresh; else at a new one. */
export const FRESH_MS = 1_000;
/** One fan-out call (BatchExecuteStatement of 25 inserts), all attempts: what the window leaves it. */
export const FAN_OUT_CALL_MS = Limits.lateWriteWindowMs - MARGIN_MS - FENCE_MS - FRESH_MS;

/** A direct message is one transaction, stamped just before it: the whole call and a fence must fit. */
export function assertDirectWriteFits(limits: CallLimits): void {
  if (worstCaseMs(limits) + FENCE_MS + MARGIN_MS > Limits.lateWriteWindowMs) {
    throw new Error('The DynamoDB call limits and a fence do not fit the late-write window');
  }
}
