// Puts a bound on the scrypt work one process does at a time (SPEC 2, abuse limits). Each scrypt
// holds 16 MiB and about a second of CPU, and scrypt-js shares the event loop with every other
// request: unbounded, 60 concurrent logins for unknown ids took 42 s each and 1 GiB. Here a few
// run, a bounded queue waits, and past it the caller gets 503 unavailable with Retry-After.
// Identical concurrent checks (same stored hash, same password) share one run.
import { createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../../core/DomainError.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';

export interface HashingBounds {
  /** Hashes computed at once. scrypt-js runs on the event loop, so more would not finish sooner. */
  readonly concurrent: number;
  /** Hashes waiting for a turn; at about a second each, the last waits queued / concurrent seconds. */
  readonly queued: number;
}

export const DEFAULT_HASHING_BOUNDS: HashingBounds = Object.freeze({ concurrent: 2, queued: 16 });

export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Keys the in-flight table, so it never holds a password or a guessable digest of one. */
  private readonly key = randomBytes(32);

  constructor(
    private readonly inner: PasswordHasher,
    private readonly bounds: HashingBounds = DEFAULT_HASHING_BOUNDS,
  ) {}

  hash(password: string): Promise<string> {
    return this.inTurn(() => this.inner.hash(password));
  }

  verify(password: string, encodedHash: string): Promise<boolean> {
    const slot = `${encodedHash}\u0000${createHmac('sha256', this.key).update(password).digest('base64')}`;
    const shared = this.inFlight.get(slot);
    if (shared) return shared;
    const check = this.inTurn(() => this.inner.verify(password, encodedHash)).finally(() => this.inFlight.delete(slot));
    this.inFlight.set(slot, check);
    return check;
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.bounds.concurrent) {
      if (this.waiting.length >= this.bounds.queued) {
        throw new DomainError('unavailable', 'The server is busy checking passwords; try again shortly.', undefined, 1);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the turn straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
