import { Limits } from '../../core/Limits.js';
import { freeAttempts, lockoutOf } from '../../core/Lockout.js';
import type { AttemptReservation, PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';
import type { AttemptRecords } from './AttemptRecords.js';

/** Per process; decides and writes synchronously, so concurrent attempts cannot overtake the limit. */
export class InMemoryPasswordAttemptLimiter implements PasswordAttemptLimiter {
  private nextId = 0;

  constructor(private readonly records: AttemptRecords) {}

  async reserve(userId: string, now: number): Promise<AttemptReservation> {
    const record = this.records.touch(userId, now);
    const lockout = lockoutOf(record.failures, now);
    if (lockout.locked) return { status: 'locked', retryAfterSeconds: lockout.retryAfterSeconds };
    if (freeAttempts(record.failures, record.running.size, now) === 0) return { status: 'busy' };
    const reservationId = `r${++this.nextId}`;
    record.running.set(reservationId, now + Limits.passwordAttemptReservationMs);
    return { status: 'reserved', reservationId };
  }

  async fail(userId: string, reservationId: string, now: number): Promise<void> {
    const record = this.records.touch(userId, now);
    record.running.delete(reservationId);
    record.failures.push(now);
  }

  async release(userId: string, reservationId: string): Promise<void> {
    this.records.find(userId)?.running.delete(reservationId);
  }
}
