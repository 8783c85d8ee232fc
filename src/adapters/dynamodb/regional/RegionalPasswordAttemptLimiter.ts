// The lockout record with several regions: at the user's home, so the ten failures a window
// allows are ten whichever regions the attempts reach (while the home answers; D9 otherwise).
import type { AttemptReservation, PasswordAttemptLimiter } from '../../../ports/PasswordAttemptLimiter.js';
import { DynamoDbPasswordAttemptLimiter } from '../DynamoDbPasswordAttemptLimiter.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalPasswordAttemptLimiter implements PasswordAttemptLimiter {
  private readonly limiters = new PerTable((table) => new DynamoDbPasswordAttemptLimiter(table));

  constructor(private readonly router: HomeRouter) {}

  reserve(userId: string, now: number): Promise<AttemptReservation> {
    return this.router.atHome(this.router.homes.ofId(userId), 'lockout', 'fallback', (table) => this.limiters.of(table).reserve(userId, now));
  }

  fail(userId: string, reservationId: string, now: number): Promise<void> {
    return this.router.atHome(this.router.homes.ofId(userId), 'lockout', 'fallback', (table) =>
      this.limiters.of(table).fail(userId, reservationId, now),
    );
  }

  release(userId: string, reservationId: string): Promise<void> {
    return this.router.atHome(this.router.homes.ofId(userId), 'lockout', 'fallback', (table) =>
      this.limiters.of(table).release(userId, reservationId),
    );
  }
}
