// Failure times and running checks per user id, for the in-memory lockout. Shared by the user
// repository (which reads the lock state with the user) and the attempt limiter (which writes).
import { failuresInWindow, lockoutOf, type Lockout } from '../../core/Lockout.js';

export interface AttemptRecord {
  /** Failure times still in the window, oldest first. */
  failures: number[];
  /** Running checks: reservation id -> when the reservation lapses if never ended. */
  readonly running: Map<string, number>;
}

/**
 * Ids under attack can be anything, so the table is bounded: records with nothing left in the
 * window go first, and past MAX_RECORDS the least recently touched go (a lockout forgotten early
 * is the lesser harm than a process out of memory; the per-address limits slow such floods).
 */
const MAX_RECORDS = 100_000;

export class AttemptRecords {
  /** Insertion order is touch order: the least recently touched record comes first. */
  private readonly records = new Map<string, AttemptRecord>();

  lockout(userId: string, now: number): Lockout {
    const record = this.records.get(userId);
    return record ? lockoutOf(record.failures, now) : { locked: false };
  }

  /** The record of `userId` with lapsed entries dropped, created when missing, marked as touched. */
  touch(userId: string, now: number): AttemptRecord {
    const record = this.records.get(userId) ?? { failures: [], running: new Map<string, number>() };
    this.records.delete(userId);
    this.sweep(now);
    record.failures = failuresInWindow(record.failures, now);
    for (const [id, lapsesAt] of record.running) if (lapsesAt <= now) record.running.delete(id);
    this.records.set(userId, record);
    return record;
  }

  find(userId: string): AttemptRecord | undefined {
    return this.records.get(userId);
  }

  get size(): number {
    return this.records.size;
  }

  private sweep(now: number): void {
    for (const [userId, record] of this.records) {
      const idle = failuresInWindow(record.failures, now).length === 0 && [...record.running.values()].every((t) => t <= now);
      if (!idle && this.records.size < MAX_RECORDS) break;
      this.records.delete(userId);
    }
  }
}
