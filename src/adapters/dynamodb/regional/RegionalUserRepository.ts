// Users with several regions: a profile is written where it is created (its id's home), signed in
// against at its home (the lockout record is there too), and an id missing from the local replica
// is looked up at its home before anyone is told it does not exist (D10): a user registered a
// moment ago in another region is never "unknown".
import type { User } from '../../../core/User.js';
import type { SignInRecord, UserRepository } from '../../../ports/UserRepository.js';
import { DynamoDbUserRepository } from '../DynamoDbUserRepository.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalUserRepository implements UserRepository {
  private readonly repos = new PerTable((table) => new DynamoDbUserRepository(table));

  constructor(private readonly router: HomeRouter) {}

  insert(user: User): Promise<boolean> {
    return this.router.atHome(this.router.homes.ofId(user.id), 'register_user', 'fallback', (table) => this.repos.of(table).insert(user));
  }

  findForSignIn(id: string, now: number): Promise<SignInRecord> {
    return this.router.atHome(this.router.homes.ofId(id), 'sign_in', 'fallback', (table) => this.repos.of(table).findForSignIn(id, now));
  }

  /**
   * The local replica first; each miss confirmed by a strongly consistent read at its home. A
   * home that cannot be asked (its breaker open) confirms nothing: 503, never a wrong 404.
   */
  async findMissing(ids: readonly string[]): Promise<string[]> {
    const homes = this.router.homes;
    const missingHere = await this.repos.of(this.router.local).findMissing(ids);
    const byHome = new Map<string, string[]>();
    for (const id of missingHere) {
      const home = homes.ofId(id);
      if (home === homes.local) continue; // the local replica is the home: a confirmed miss
      byHome.set(home, [...(byHome.get(home) ?? []), id]);
    }
    if (byHome.size === 0) return missingHere;
    const found = new Set<string>();
    await Promise.all(
      [...byHome].map(async ([home, unconfirmed]) => {
        const missingAtHome = new Set(
          await this.router.atHome(home, 'confirm_user', 'refuse', (table) => this.repos.of(table).findMissing(unconfirmed)),
        );
        for (const id of unconfirmed) if (!missingAtHome.has(id)) found.add(id);
      }),
    );
    return missingHere.filter((id) => !found.has(id));
  }
}
